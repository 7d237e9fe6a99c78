import {
  type CompanyContactRow,
  type CompanyQueries,
  type CompanyRow,
  companySortColumns,
} from '../../companies/company-store.js';
import { companyRowColumns } from '../company-row.js';
import type { PostgresPool } from './postgres-pool.js';

const columns = companyRowColumns;
// Merges move links to the survivor, so the merged_into filter only guards against stale links.
const liveLinks = `FROM profile_companies AS link JOIN profiles AS profile ON profile.id = link.profile_id
  WHERE link.company_id = $1 AND profile.merged_into IS NULL`;

/** The companies API's reads on PostgreSQL (SQLite's: storage/sqlite/company-queries.ts). */
export function createPostgresCompanyQueries(pool: PostgresPool): CompanyQueries {
  return {
    async companyByGroupId(groupId) {
      return (await pool.query<CompanyRow>(`SELECT ${columns} FROM companies WHERE group_id = $1`, [groupId])).rows[0];
    },
    async listCompanies(sort, after, limit) {
      const descending = sort.startsWith('-');
      const column = companySortColumns[sort];
      const direction = descending ? 'DESC' : 'ASC';
      const keyType = column === 'group_id' ? 'text' : 'bigint';
      // Row-value comparison: strictly past the last row of the previous page, ties broken by id.
      const where = after ? `WHERE (${column}, id) ${descending ? '<' : '>'} ($2::${keyType}, $3::bigint)` : '';
      const { rows } = await pool.query<CompanyRow>(
        `SELECT ${columns} FROM companies ${where} ORDER BY ${column} ${direction}, id ${direction} LIMIT $1`,
        after ? [limit, after.key, after.id] : [limit],
      );
      return rows;
    },
    async contactsOf(companyId, limit) {
      const { rows } = await pool.query<CompanyContactRow>(
        `SELECT profile.public_id, profile.contact_email, profile.contact_name ${liveLinks} ORDER BY link.profile_id LIMIT $2`,
        [companyId, limit],
      );
      return rows;
    },
    async contactCount(companyId, cap) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 ${liveLinks} LIMIT $2) AS capped`,
        [companyId, cap],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
