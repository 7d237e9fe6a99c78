import { renderIntro } from './api-docs-intro.js';
import { propertyTable, renderSchemas, table, typeLabel, withDefault } from './api-docs-schemas.js';
import { curlExample } from './api-examples.js';
import { apiDocumentPath } from './api-router.js';
import type { ApiDocument, OperationObject } from './openapi-types.js';
import { listOperations, resolveSchema } from './openapi-types.js';

/** docs/api.md, written from /openapi.json by `pnpm docs:api`; api-docs.test.ts checks it is current. */

export async function fetchApiDocument(app: {
  request(path: string): Response | Promise<Response>;
}): Promise<ApiDocument> {
  const response = await app.request(apiDocumentPath);
  if (response.status !== 200) throw new Error(`GET ${apiDocumentPath} answered ${response.status}`);
  return (await response.json()) as ApiDocument;
}

export function renderApiDocs(document: ApiDocument): string {
  const operations = listOperations(document);
  const tags = [...new Set(operations.map(({ operation }) => tagOf(operation)))];
  const sections = tags.flatMap((tag) => [
    `## ${tag}`,
    ...operations
      .filter(({ operation }) => tagOf(operation) === tag)
      .map((entry) => {
        // The short paths analytics.js posts to (/v1/t) take and answer what the long ones do: said once.
        const original = operations.find((other) => contract(other) === contract(entry)) ?? entry;
        return original === entry
          ? renderOperation(entry.method, entry.path, entry.operation, document)
          : renderTwin(entry.method, entry.path, entry.operation, document, original);
      }),
  ]);
  const contents = tags.map(
    (tag) =>
      `- **${tag}**: ${operations
        .filter(({ operation }) => tagOf(operation) === tag)
        .map(({ method, path }) => `[\`${method.toUpperCase()} ${path}\`](#${anchor(method, path)})`)
        .join(', ')}`,
  );
  return `${[renderIntro(document), '## Routes', contents.join('\n'), ...sections, renderSchemas(document)].join('\n\n')}\n`;
}

function renderOperation(method: string, path: string, operation: OperationObject, document: ApiDocument): string {
  const parts = [`### ${method.toUpperCase()} ${path}`];
  if (operation.summary) parts.push(`${operation.summary}.`.replace(/\.\.$/, '.'));
  if (operation.description) parts.push(operation.description);
  parts.push(`**Authentication:** ${describeSecurity(operation, document)}`);
  const parameters = (operation.parameters ?? []).filter((p) => p.in !== 'header' || p.name !== 'Authorization');
  if (parameters.length > 0) {
    parts.push(
      table(
        ['parameter', 'in', 'type', 'required', 'description'],
        parameters.map((p) => [
          `\`${p.name}\``,
          p.in,
          typeLabel(p.schema, document),
          p.required ? 'yes' : 'no',
          withDefault(p.description ?? p.schema?.description ?? '', p.schema?.default),
        ]),
      ),
    );
  }
  if (operation.requestBody) parts.push(renderBody(operation.requestBody, document));
  parts.push(
    table(
      ['status', 'meaning', 'body'],
      Object.entries(operation.responses).map(([status, response]) => {
        const content = Object.entries(response.content ?? {})[0];
        return [status, response.description, content ? typeLabel(content[1].schema, document) : ''];
      }),
    ),
  );
  parts.push(`\`\`\`sh\n${curlExample(method, path, operation, document)}\n\`\`\``);
  return parts.join('\n\n');
}

/** What a client sends and gets back, without the words: equal for routes that differ only by path. */
function contract({ method, operation }: { method: string; operation: OperationObject }): string {
  const { parameters, requestBody, responses, security } = operation;
  return JSON.stringify({ method, parameters, requestBody, responses, security });
}

function renderTwin(
  method: string,
  path: string,
  operation: OperationObject,
  document: ApiDocument,
  twin: { method: string; path: string },
): string {
  const parts = [`### ${method.toUpperCase()} ${path}`];
  if (operation.summary) parts.push(`${operation.summary}.`.replace(/\.\.$/, '.'));
  parts.push(
    `Takes and answers the same as [\`${twin.method.toUpperCase()} ${twin.path}\`](#${anchor(twin.method, twin.path)}).`,
    `**Authentication:** ${describeSecurity(operation, document)}`,
    `\`\`\`sh\n${curlExample(method, path, operation, document)}\n\`\`\``,
  );
  return parts.join('\n\n');
}

function renderBody(body: NonNullable<OperationObject['requestBody']>, document: ApiDocument): string {
  const [, media] = Object.entries(body.content)[0] ?? [];
  const types = Object.keys(body.content).map((type) => `\`${type}\``);
  const lines = [
    `**Request body** (${types.join(' or ')}${body.required ? ', required' : ''}): ${typeLabel(media?.schema, document)}` +
      (body.description ? `. ${body.description}` : ''),
  ];
  const fields = propertyTable(resolveSchema(media?.schema, document), document);
  if (fields) lines.push(fields);
  return lines.join('\n\n');
}

function describeSecurity(operation: OperationObject, document: ApiDocument): string {
  const names = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (names.length === 0) return 'none';
  const schemes = document.components?.securitySchemes ?? {};
  const described = names.map((name) => {
    const scheme = schemes[name];
    return `\`${name}\` (${scheme?.scheme === 'basic' ? 'HTTP Basic' : scheme?.scheme === 'bearer' ? 'Bearer token' : (scheme?.type ?? 'unknown')})`;
  });
  const isOptional = (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
  return `${described.join(' or ')}${isOptional ? ', or `writeKey` in the body' : ''}`;
}

function tagOf(operation: OperationObject): string {
  return operation.tags?.[0] ?? 'Other';
}

/** The anchor GitHub gives the `### METHOD path` heading. */
function anchor(method: string, path: string): string {
  return `${method} ${path}`
    .toLowerCase()
    .replaceAll(/[^a-z0-9 _-]/g, '')
    .replaceAll(' ', '-');
}
