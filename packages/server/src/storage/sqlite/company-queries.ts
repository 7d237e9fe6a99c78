import type { CompanySort } from '../../companies/company-schemas.js';
import {
  type CompanyContactRow,
  type CompanyQueries,
  type CompanyRow,
  companySortColumns,
} from '../../companies/company-store.js';
import { companyRowColumns } from '../company-row.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

const columns = companyRowColumns;

/** Statements prepared once; one per list shape (sort × first page or not). */
export function createCompanyQueries(db: SqliteDatabase): Synchronous<CompanyQueries> {
  const selectCompany = db.prepare<[string], CompanyRow>(`SELECT ${columns} FROM companies WHERE group_id = ?`);
  const listStatements = new Map(
    (Object.keys(companySortColumns) as CompanySort[]).flatMap((sort) =>
      [false, true].map((paged) => [`${sort}|${paged}`, db.prepare(listSql(sort, paged))] as const),
    ),
  );
  // Merges move links to the survivor, so the merged_into filter only guards against stale links.
  const selectContacts = db.prepare<[number, number], CompanyContactRow>(
    `SELECT profile.public_id, profile.contact_email, profile.contact_name
     FROM profile_companies AS link JOIN profiles AS profile ON profile.id = link.profile_id
     WHERE link.company_id = ? AND profile.merged_into IS NULL ORDER BY link.profile_id LIMIT ?`,
  );
  const countContacts = db
    .prepare<[number, number]>(
      `SELECT count(*) FROM (SELECT 1 FROM profile_companies AS link JOIN profiles AS profile ON profile.id = link.profile_id
       WHERE link.company_id = ? AND profile.merged_into IS NULL LIMIT ?)`,
    )
    .pluck();
  return {
    companyByGroupId: (groupId) => selectCompany.get(groupId),
    listCompanies(sort, after, limit) {
      const statement = listStatements.get(`${sort}|${after !== undefined}`);
      if (!statement) throw new Error(`no statement for sort ${sort}`);
      const params = after ? { limit, key: after.key, id: after.id } : { limit };
      return statement.all(params) as CompanyRow[];
    },
    contactsOf: (companyId, limit) => selectContacts.all(companyId, limit),
    contactCount: (companyId, cap) => countContacts.get(companyId, cap) as number,
  };
}

function listSql(sort: CompanySort, paged: boolean): string {
  const descending = sort.startsWith('-');
  const column = companySortColumns[sort];
  const direction = descending ? 'DESC' : 'ASC';
  // Row-value comparison: strictly past the last row of the previous page, ties broken by id.
  const where = paged ? `WHERE (${column}, id) ${descending ? '<' : '>'} (@key, @id)` : '';
  return `SELECT ${columns} FROM companies ${where} ORDER BY ${column} ${direction}, id ${direction} LIMIT @limit`;
}
