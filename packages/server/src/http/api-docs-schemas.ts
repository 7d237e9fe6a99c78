import { typeOf } from './api-examples.js';
import type { ApiDocument, SchemaObject } from './openapi-types.js';
import { refName, resolveSchema } from './openapi-types.js';

/** The shapes of bodies in docs/api.md: type labels for table cells and a section per named schema. */

export function renderSchemas(document: ApiDocument): string {
  const schemas = Object.entries(document.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const sections = schemas.map(([name, schema]) => {
    const parts = [`### Schema: ${name}`];
    if (schema.description) parts.push(schema.description);
    parts.push(propertyTable(schema, document) ?? `Type: ${typeLabel(schema, document)}`);
    return parts.join('\n\n');
  });
  return ['## Schemas', 'The bodies named in the tables above.', ...sections].join('\n\n');
}

/** A table of an object schema's fields; undefined for a schema that has none. */
export function propertyTable(schema: SchemaObject | undefined, document: ApiDocument): string | undefined {
  if (!schema?.properties) return undefined;
  return table(
    ['field', 'type', 'required', 'description'],
    Object.entries(schema.properties).map(([name, property]) => [
      `\`${name}\``,
      typeLabel(property, document),
      schema.required?.includes(name) ? 'yes' : 'no',
      withDefault(property.description ?? resolveSchema(property, document)?.description ?? '', property.default),
    ]),
  );
}

/** `Contact`, `array of Note`, `string (date-time)`, `"a" \| "b"`: short enough for a table cell. */
export function typeLabel(schema: SchemaObject | undefined, document: ApiDocument, depth = 0): string {
  if (!schema) return '';
  if (depth > 3) return '…';
  if (schema.$ref) return `[${refName(schema.$ref)}](#${schemaAnchor(refName(schema.$ref))})`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) {
    return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  }
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options) return options.map((option) => typeLabel(option, document, depth + 1)).join(' \\| ');
  const type = typeOf(schema);
  const isNullable = Array.isArray(schema.type) && schema.type.includes('null');
  let label = type ?? 'any';
  if (type === 'array') label = `array of ${typeLabel(schema.items, document, depth + 1) || 'any'}`;
  if (type === 'object' && !schema.properties) label = 'object';
  if (schema.format) label = `${label} (${schema.format})`;
  return isNullable ? `${label} \\| null` : label;
}

export function withDefault(description: string, value: unknown): string {
  if (value === undefined) return description;
  return `${description}${description ? '. ' : ''}Default \`${JSON.stringify(value)}\``.replace(
    '.. Default',
    '. Default',
  );
}

export function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replaceAll('\n', ' ').replaceAll(/(?<!\\)\|/g, '\\|');
  return [
    `| ${headings.join(' | ')} |`,
    `|${headings.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** The anchor GitHub gives the `### Schema: Name` heading. */
function schemaAnchor(name: string): string {
  return `schema-${name.toLowerCase().replaceAll(/[^a-z0-9_-]/g, '')}`;
}
