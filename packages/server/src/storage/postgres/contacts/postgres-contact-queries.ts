import type { ContactSort } from '../../../contacts/contact-schemas.js';
import { type ContactQueries, type EventRow, sortKey } from '../../../contacts/contact-store.js';
import type { CompanyRow, IdentifierRow, MergeRow, ProfileRow } from '../../../contacts/contact-view.js';
import { editsStamping, traitsEditedBy } from '../../../contacts/manual-edits.js';
import { readStamped } from '../../../identity/stamped-values.js';
import { escapeLike, lowerAscii } from '../../like-pattern.js';
import { profileRowColumns } from '../../profile-row.js';
import type { PostgresPool } from '../postgres-pool.js';

/**
 * The contacts API's reads on PostgreSQL (SQLite's: storage/sqlite/contacts/contact-queries.ts).
 * Text keys are COLLATE "C" (migration 006), so lists page in SQLite's order; a prefix matches as
 * SQLite's LIKE does, ASCII letters in either case, against the lower-cased email and name.
 */
export function createPostgresContactQueries(pool: PostgresPool): ContactQueries {
  const one = async (sql: string, params: unknown[]) => (await pool.query<ProfileRow>(sql, params)).rows[0];
  const grouped = async <T>(sql: string, ids: readonly number[]) => {
    const byProfile = new Map<number, T[]>();
    for (const { owner, ...row } of (await pool.query<T & { owner: number }>(sql, [ids])).rows) {
      const list = byProfile.get(owner);
      if (list) list.push(row as T);
      else byProfile.set(owner, [row as T]);
    }
    return byProfile;
  };

  async function profilesByIds(ids: readonly number[]): Promise<ProfileRow[]> {
    const { rows } = await pool.query<ProfileRow>(
      `SELECT ${profileRowColumns} FROM profiles WHERE id = ANY ($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    profileById: (id) => one(`SELECT ${profileRowColumns} FROM profiles WHERE id = $1`, [id]),
    profileByPublicId: (publicId) => one(`SELECT ${profileRowColumns} FROM profiles WHERE public_id = $1`, [publicId]),
    profileByIdentifier: (type, value) =>
      one(
        `SELECT ${profileRowColumns} FROM profiles
         WHERE id = (SELECT profile_id FROM identifiers WHERE type = $1 AND value = $2)`,
        [type, value],
      ),
    profilesByIds,
    async detailsOf(ids) {
      const [identifiers, companies, merges] = await Promise.all([
        grouped<IdentifierRow>(
          `SELECT profile_id AS owner, type, value, first_seen_at FROM identifiers
           WHERE profile_id = ANY ($1::bigint[]) ORDER BY first_seen_at, type COLLATE "C", value COLLATE "C"`,
          ids,
        ),
        grouped<CompanyRow>(
          `SELECT link.profile_id AS owner, company.group_id, company.traits
           FROM profile_companies AS link JOIN companies AS company ON company.id = link.company_id
           WHERE link.profile_id = ANY ($1::bigint[]) ORDER BY company.group_id COLLATE "C"`,
          ids,
        ),
        grouped<MergeRow>(
          `SELECT merge.survivor_id AS owner, absorbed.public_id AS absorbed_public_id, merge.message_id, merge.merged_at
           FROM merges AS merge JOIN profiles AS absorbed ON absorbed.id = merge.absorbed_id
           WHERE merge.survivor_id = ANY ($1::bigint[]) ORDER BY merge.merged_at, merge.id`,
          ids,
        ),
      ]);
      return new Map(
        ids.map((id) => [
          id,
          { identifiers: identifiers.get(id) ?? [], companies: companies.get(id) ?? [], merges: merges.get(id) ?? [] },
        ]),
      );
    },
    async listContacts(sort, after, q, limit) {
      const params: unknown[] = [limit];
      const conditions = ['merged_into IS NULL'];
      if (after) {
        params.push(after.key, after.id);
        conditions.push(afterSql(sort, '$2', '$3'));
      }
      if (q !== undefined) {
        params.push(`${escapeLike(lowerAscii(q))}%`);
        const pattern = `$${params.length}`;
        conditions.push(
          `(contact_email LIKE ${pattern} ESCAPE '\\' OR weft_lower_ascii(contact_name) LIKE ${pattern} ESCAPE '\\')`,
        );
      }
      const { rows } = await pool.query<ProfileRow>(
        `SELECT ${profileRowColumns} FROM profiles WHERE ${conditions.join(' AND ')} ${orderBySql(sort)} LIMIT $1`,
        params,
      );
      return rows;
    },
    async editedTraits(profileId) {
      const { rows } = await pool.query<{ traits: string; trait_stamps: string }>(
        'SELECT traits, trait_stamps FROM profiles WHERE id = $1',
        [profileId],
      );
      const state = rows[0];
      if (!state) return [];
      const editOf = editsStamping(readStamped(state.traits, state.trait_stamps));
      if (editOf.size === 0) return [];
      const edits = await pool.query<{ id: number; changes: string }>(
        'SELECT id, changes FROM manual_edits WHERE id = ANY ($1::bigint[])',
        [[...new Set(editOf.values())]],
      );
      return traitsEditedBy(editOf, new Map(edits.rows.map((edit) => [edit.id, edit.changes])));
    },
    async timeline(profileId, filter, after, limit) {
      const params: unknown[] = [profileId, filter.type ?? null, filter.event ?? null, limit];
      if (after) params.push(after.key, after.id);
      const { rows } = await pool.query<EventRow>(
        `SELECT id, timestamp, body FROM events
         WHERE profile_id IN (SELECT $1::bigint UNION ALL SELECT id FROM profiles WHERE merged_into = $1)
           AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR event = $3)
           ${after ? 'AND (timestamp, id) < ($5, $6)' : ''}
         ORDER BY timestamp DESC, id DESC LIMIT $4`,
        params,
      );
      return rows;
    },
  };
}

/** A sort's ORDER BY: its column (contact-store.ts contactSortColumns, never user text), then id. */
export function orderBySql(sort: ContactSort): string {
  const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  return `ORDER BY ${sortKey(sort).column} ${direction}, id ${direction}`;
}

/** Strictly past a cursor's (key, id) in the sort's direction. */
export function afterSql(sort: ContactSort, key: string, id: string): string {
  const { column, keyType } = sortKey(sort);
  return `(${column}, id) ${sort.startsWith('-') ? '<' : '>'} (${key}::${keyType === 'string' ? 'text' : 'bigint'}, ${id}::bigint)`;
}
