import type { ApiDocument, OperationObject, ParameterObject, SchemaObject } from './openapi-types.js';
import { resolveSchema } from './openapi-types.js';

/** curl commands for docs/api.md, built from the examples in /openapi.json or, lacking those, the schemas. */

const maxDepth = 8;

/**
 * An example value for `schema`: its own `example` when it has one, else one built from its type.
 * An object gets its required properties and the optional ones that carry an example.
 */
export function exampleOf(schema: SchemaObject | undefined, document: ApiDocument, depth = 0): unknown {
  if (!schema || depth > maxDepth) return null;
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.[0] !== undefined) return schema.examples[0];
  if (schema.$ref) return exampleOf(resolveSchema(schema, document), document, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum.find((value) => value !== null) ?? null;
  if (schema.default !== undefined) return schema.default;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return exampleOf(options.find((option) => typeOf(option) !== 'null') ?? options[0], document, depth + 1);
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, document, depth + 1)));
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectExample(schema, document, depth);
    case 'array': {
      const item = exampleOf(schema.items, document, depth + 1);
      return item === null ? [] : [item];
    }
    case 'string':
      return stringExample(schema.format);
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.properties ? objectExample(schema, document, depth) : null;
  }
}

function objectExample(schema: SchemaObject, document: ApiDocument, depth: number): Record<string, unknown> {
  const example: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!schema.required?.includes(name) && !hasExample(property, document)) continue;
    example[name] = exampleOf(property, document, depth + 1);
  }
  return example;
}

function hasExample(schema: SchemaObject, document: ApiDocument): boolean {
  return schema.example !== undefined || resolveSchema(schema, document)?.example !== undefined;
}

function stringExample(format: string | undefined): string {
  if (format === 'date-time') return '2026-03-01T12:00:00.000Z';
  if (format === 'date') return '2026-03-01';
  if (format === 'email') return 'ada@example.com';
  if (format === 'uri' || format === 'url') return 'https://example.com';
  return 'example';
}

/** The type a schema has besides null: `["string", "null"]` is a string. */
export function typeOf(schema: SchemaObject): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  return schema.type?.find((type) => type !== 'null') ?? schema.type?.[0];
}

function parameterExample(parameter: ParameterObject, document: ApiDocument): unknown {
  return parameter.example ?? exampleOf(parameter.schema, document);
}

// The `$WEFT_…` variables the intro of docs/api.md asks the reader to export.
const credentialFlags: Record<string, string> = {
  basic: '-u "$WEFT_WRITE_KEY:"',
  bearer: '-H "Authorization: Bearer $WEFT_ADMIN_TOKEN"',
};

/** A curl command that calls the operation with example values, one option per line. */
export function curlExample(method: string, path: string, operation: OperationObject, document: ApiDocument): string {
  const parameters = operation.parameters ?? [];
  const filledPath = path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    return encodePart(String(parameter ? parameterExample(parameter, document) : name));
  });
  // Required query parameters, and the optional ones whose example shows something worth seeing.
  const query = parameters
    .filter((p) => p.in === 'query' && (p.required || p.example !== undefined || p.schema?.example !== undefined))
    .map((p) => `${encodePart(p.name)}=${encodePart(String(parameterExample(p, document)))}`);
  const url = `$WEFT_URL${filledPath}${query.length > 0 ? `?${query.join('&')}` : ''}`;
  const lines = [method === 'get' ? `curl "${url}"` : `curl -X ${method.toUpperCase()} "${url}"`];
  const credential = credentialFlag(operation, document);
  if (credential) lines.push(credential);
  const body = operation.requestBody?.content;
  const mediaType = body && (body['application/json'] ? 'application/json' : Object.keys(body)[0]);
  if (body && mediaType === 'text/csv') {
    // A file's body (CSV imports): sent from a file, not written inline.
    lines.push(`-H 'Content-Type: text/csv'`, '--data-binary @contacts.csv');
  } else if (body && mediaType) {
    const media = body[mediaType];
    const example = media?.example ?? exampleOf(media?.schema, document);
    const json = JSON.stringify(example);
    // Long bodies one field a line, indented under the command.
    const text = json.length > 80 ? JSON.stringify(example, null, 2).replaceAll('\n', '\n  ') : json;
    lines.push(`-H 'Content-Type: ${mediaType}'`, `-d '${text.replaceAll("'", "'\\''")}'`);
  }
  return lines.join(' \\\n  ');
}

function credentialFlag(operation: OperationObject, document: ApiDocument): string | undefined {
  for (const requirement of operation.security ?? []) {
    for (const name of Object.keys(requirement)) {
      const scheme = document.components?.securitySchemes?.[name];
      const flag = scheme?.scheme ? credentialFlags[scheme.scheme.toLowerCase()] : undefined;
      if (flag) return flag;
    }
  }
  return undefined;
}

/** Percent-encodes what a URL or the shell's double quotes would misread; `:` and `@` read fine in a path. */
function encodePart(value: string): string {
  return encodeURIComponent(value).replaceAll('%3A', ':').replaceAll('%40', '@');
}
