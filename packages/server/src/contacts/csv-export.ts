import type { Contact } from './contact-schemas.js';

/**
 * What a CSV export writes: which columns, and each cell, escaped against spreadsheet formula
 * injection. Pure: the route streams what these make (contact-export-routes.ts).
 */

/** Columns by name; `traits.<name>` is open-ended. */
const fixedColumns: Record<string, (contact: Contact) => unknown> = {
  id: (contact) => contact.id,
  email: (contact) => contact.email,
  name: (contact) => contact.name,
  firstName: (contact) => contact.firstName,
  lastName: (contact) => contact.lastName,
  phone: (contact) => contact.phone,
  title: (contact) => contact.title,
  userId: (contact) => contact.identities.find((identity) => identity.type === 'user_id')?.value,
  companies: (contact) => contact.companies.map((company) => company.name ?? company.groupId),
  lifecycleStage: (contact) => contact.lifecycleStage,
  owner: (contact) => contact.owner,
  tags: (contact) => contact.tags,
  firstSeenAt: (contact) => contact.firstSeenAt,
  lastSeenAt: (contact) => contact.lastSeenAt,
  eventCount: (contact) => contact.eventCount,
  createdAt: (contact) => contact.createdAt,
  updatedAt: (contact) => contact.updatedAt,
};

export const defaultExportColumns = [
  'id',
  'email',
  'name',
  'userId',
  'phone',
  'title',
  'companies',
  'lifecycleStage',
  'owner',
  'tags',
  'firstSeenAt',
  'lastSeenAt',
  'eventCount',
] as const;

export const exportColumnNames = Object.keys(fixedColumns);
export const MAX_EXPORT_COLUMNS = 100;

export type ColumnCheck =
  | { ok: true; columns: readonly string[]; read: (contact: Contact) => (string | number)[] }
  | { ok: false; message: string };

/** The columns asked for (comma-separated; the defaults when none), or the first that does not exist. */
export function exportColumns(asked: string | undefined): ColumnCheck {
  const columns = asked === undefined ? [...defaultExportColumns] : asked.split(',').map((name) => name.trim());
  if (columns.length === 0 || columns.length > MAX_EXPORT_COLUMNS || columns.some((name) => name === '')) {
    return { ok: false, message: `columns: 1 to ${MAX_EXPORT_COLUMNS} names, comma-separated` };
  }
  const readers: ((contact: Contact) => unknown)[] = [];
  for (const name of columns) {
    const fixed = fixedColumns[name];
    if (fixed) readers.push(fixed);
    else if (name.startsWith('traits.') && name.length > 7) readers.push((contact) => contact.traits[name.slice(7)]);
    else
      return { ok: false, message: `columns: ${name} is not one of ${exportColumnNames.join(', ')} or traits.<name>` };
  }
  return { ok: true, columns, read: (contact) => readers.map((reader) => csvCell(reader(contact))) };
}

/**
 * One cell. Numbers stay numbers; every text cell that a spreadsheet would read as a formula (it
 * starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, which spreadsheets
 * show as text (OWASP's advice for CSV injection). Lists are joined with "; ", objects written as
 * JSON, both then escaped as text.
 */
/** What a spreadsheet may read as a formula: = + - @, a tab or CR, after any spaces; full-width forms too. */
export const formulaStart = /^[\s\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function csvCell(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text =
    typeof value === 'string' ? value : Array.isArray(value) ? value.map(listItem).join('; ') : JSON.stringify(value);
  return formulaStart.test(text) ? `'${text}` : text;
}

function listItem(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
