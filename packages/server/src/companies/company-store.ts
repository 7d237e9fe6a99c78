import type { Cursor } from '../contacts/cursor.js';
import type { CompanySort } from './company-schemas.js';

/** What the companies API needs from storage (storage/sqlite/company-queries.ts). */

/** The row field each sort orders by, and so the key a cursor carries. */
export const companySortColumns = {
  groupId: 'group_id',
  '-lastSeenAt': 'last_seen_at',
} as const satisfies Record<CompanySort, keyof CompanyRow>;

export interface CompanyRow {
  readonly id: number;
  readonly group_id: string;
  readonly traits: string;
  readonly first_seen_at: number;
  readonly last_seen_at: number;
}

export interface CompanyContactRow {
  readonly public_id: string;
  readonly contact_email: string;
  readonly contact_name: string;
}

export interface CompanyQueries {
  companyByGroupId(groupId: string): Promise<CompanyRow | undefined>;
  listCompanies(sort: CompanySort, after: Cursor | undefined, limit: number): Promise<CompanyRow[]>;
  /** The first `limit` live profiles linked to the company, by id. */
  contactsOf(companyId: number, limit: number): Promise<CompanyContactRow[]>;
  /** How many live profiles are linked to it, counting no further than `cap`. */
  contactCount(companyId: number, cap: number): Promise<number>;
}
