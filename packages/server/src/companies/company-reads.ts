import type { Page } from '../contacts/contact-reads.js';
import { countedTotal, exactCountLimit } from '../contacts/contact-search-spec.js';
import type { CursorCodec } from '../contacts/cursor.js';
import type { Company, CompanyDetail, CompanySort } from './company-schemas.js';
import { type CompanyQueries, type CompanyRow, companySortColumns } from './company-store.js';

/** Companies as the API and the web UI show them: one page in sort order, or one with its contacts. */

const contactsShown = 100;

export interface CompanyListRequest {
  readonly sort: CompanySort;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of companies; a cursor from another sort is an ApiError (cursor.ts). */
export async function listCompanies(
  queries: CompanyQueries,
  cursors: CursorCodec,
  request: CompanyListRequest,
): Promise<Page<Company>> {
  const { sort, limit, cursor } = request;
  const column = companySortColumns[sort];
  const keyType = column === 'group_id' ? 'string' : 'integer';
  const after = cursor === undefined ? undefined : cursors.read(cursor, sort, keyType);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await queries.listCompanies(sort, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toCompany),
    nextCursor: rows.length > limit && last ? cursors.encode({ sort, key: last[column], id: last.id }) : null,
  };
}

/** The company with its first contacts and how many it has; undefined when no company has the id. */
export async function readCompany(queries: CompanyQueries, groupId: string): Promise<CompanyDetail | undefined> {
  const row = await queries.companyByGroupId(groupId);
  if (!row) return undefined;
  const contacts = (await queries.contactsOf(row.id, contactsShown)).map((contact) => ({
    id: contact.public_id,
    // The listing columns of migration 005 hold '' for none.
    email: contact.contact_email === '' ? null : contact.contact_email,
    name: contact.contact_name === '' ? null : contact.contact_name,
  }));
  const contactTotal = countedTotal(await queries.contactCount(row.id, exactCountLimit + 1));
  return { ...toCompany(row), contacts, contactTotal };
}

function toCompany(row: CompanyRow): Company {
  const traits = JSON.parse(row.traits) as Record<string, unknown>;
  const name = typeof traits.name === 'string' && traits.name.trim() !== '' ? traits.name.trim() : null;
  return {
    groupId: row.group_id,
    name,
    traits,
    firstSeenAt: new Date(row.first_seen_at).toISOString(),
    lastSeenAt: new Date(row.last_seen_at).toISOString(),
  };
}
