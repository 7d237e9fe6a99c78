import type { Statement } from 'better-sqlite3';
import type { ContactSort } from '../../../contacts/contact-schemas.js';
import { contactSorts } from '../../../contacts/contact-schemas.js';
import type { ContactQueries, EventRow } from '../../../contacts/contact-store.js';
import type { CompanyRow, IdentifierRow, MergeRow, ProfileRow } from '../../../contacts/contact-view.js';
import { editsStamping, traitsEditedBy } from '../../../contacts/manual-edits.js';
import { readStamped } from '../../../identity/stamped-values.js';
import { escapeLike, lowerAscii } from '../../like-pattern.js';
import { profileRowColumns } from '../../profile-row.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';
import { createIdPager } from './id-page.js';
import { sortSql } from './sort-sql.js';

/**
 * Ids of live contacts whose email or name is in [@lo, @hi): a prefix, read from two indexes.
 * contact_email is stored lower-cased; the name's index is on lower(contact_name) (migration 011).
 */
export const prefixIdsSql = `SELECT id FROM profiles WHERE merged_into IS NULL AND contact_email >= @lo AND contact_email < @hi
  UNION SELECT id FROM profiles WHERE merged_into IS NULL AND lower(contact_name) >= @lo AND lower(contact_name) < @hi
  LIMIT @cap`;

/**
 * Statements are prepared once; each list shape (sort × first page or not × search or not) has its
 * own. Up to `prefixIdsUpTo` contacts matching `q` are read from the indexes and the page cut from
 * them; past that they are dense enough that walking the sort's index and testing each is quicker.
 */
export function createContactQueries(db: SqliteDatabase, prefixIdsUpTo = 10_000): Synchronous<ContactQueries> {
  const selectProfile = db.prepare<[number], ProfileRow>(`SELECT ${profileRowColumns} FROM profiles WHERE id = ?`);
  const selectProfileByPublicId = db.prepare<[string], ProfileRow>(
    `SELECT ${profileRowColumns} FROM profiles WHERE public_id = ?`,
  );
  const selectProfileByIdentifier = db.prepare<[string, string], ProfileRow>(
    `SELECT ${profileRowColumns} FROM profiles
     WHERE id = (SELECT profile_id FROM identifiers WHERE type = ? AND value = ?)`,
  );
  // Ids travel as one JSON array, so one prepared statement serves any number of them.
  const selectProfiles = db.prepare<[string], ProfileRow>(
    `SELECT ${profileRowColumns} FROM profiles WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const selectIdentifiers = db.prepare<[string], IdentifierRow & { owner: number }>(
    `SELECT profile_id AS owner, type, value, first_seen_at FROM identifiers
     WHERE profile_id IN (SELECT value FROM json_each(?)) ORDER BY first_seen_at, type, value`,
  );
  const selectCompanies = db.prepare<[string], CompanyRow & { owner: number }>(
    `SELECT link.profile_id AS owner, company.group_id, company.traits
     FROM profile_companies AS link JOIN companies AS company ON company.id = link.company_id
     WHERE link.profile_id IN (SELECT value FROM json_each(?)) ORDER BY company.group_id`,
  );
  const selectMerges = db.prepare<[string], MergeRow & { owner: number }>(
    `SELECT merge.survivor_id AS owner, absorbed.public_id AS absorbed_public_id, merge.message_id, merge.merged_at
     FROM merges AS merge JOIN profiles AS absorbed ON absorbed.id = merge.absorbed_id
     WHERE merge.survivor_id IN (SELECT value FROM json_each(?)) ORDER BY merge.merged_at, merge.id`,
  );

  const listStatements = new Map<string, Statement>();
  for (const sort of contactSorts) {
    for (const paged of [false, true]) {
      for (const searching of [false, true]) {
        listStatements.set(listKey(sort, paged, searching), db.prepare(listSql(sort, paged, searching)));
      }
    }
  }

  const selectTraitState = db.prepare<[number], { traits: string; trait_stamps: string }>(
    'SELECT traits, trait_stamps FROM profiles WHERE id = ?',
  );
  const selectEditChanges = db.prepare<[string], { id: number; changes: string }>(
    'SELECT id, changes FROM manual_edits WHERE id IN (SELECT value FROM json_each(?))',
  );

  const selectPrefixIds = db.prepare(prefixIdsSql).pluck();
  const pageOf = createIdPager(db);

  const timelineFirst = db.prepare(timelineSql(false));
  const timelineAfter = db.prepare(timelineSql(true));

  function profilesByIds(ids: readonly number[]): ProfileRow[] {
    const byId = new Map(selectProfiles.all(JSON.stringify(ids)).map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    profileById: (id) => selectProfile.get(id),
    profileByPublicId: (publicId) => selectProfileByPublicId.get(publicId),
    profileByIdentifier: (type, value) => selectProfileByIdentifier.get(type, value),
    profilesByIds,
    detailsOf(ids) {
      const json = JSON.stringify(ids);
      const grouped = <T>(rows: (T & { owner: number })[]) => {
        const byProfile = new Map<number, T[]>();
        for (const { owner, ...row } of rows) {
          const list = byProfile.get(owner);
          if (list) list.push(row as T);
          else byProfile.set(owner, [row as T]);
        }
        return byProfile;
      };
      const identifiers = grouped(selectIdentifiers.all(json));
      const companies = grouped(selectCompanies.all(json));
      const merges = grouped(selectMerges.all(json));
      return new Map(
        ids.map((id) => [
          id,
          { identifiers: identifiers.get(id) ?? [], companies: companies.get(id) ?? [], merges: merges.get(id) ?? [] },
        ]),
      );
    },
    listContacts(sort, after, q, limit) {
      const range = q === undefined ? undefined : prefixRange(q);
      if (range) {
        const ids = selectPrefixIds.all({ ...range, cap: prefixIdsUpTo + 1 }) as number[];
        if (ids.length <= prefixIdsUpTo) return profilesByIds(pageOf(ids, { sort, after, limit }));
      }
      const statement = listStatements.get(listKey(sort, after !== undefined, q !== undefined)) as Statement;
      const params: Record<string, unknown> = { limit };
      if (after) Object.assign(params, { key: after.key, id: after.id });
      if (q !== undefined) params.prefix = `${escapeLike(q)}%`;
      return statement.all(params) as ProfileRow[];
    },
    editedTraits(profileId) {
      const state = selectTraitState.get(profileId);
      if (!state) return [];
      const editOf = editsStamping(readStamped(state.traits, state.trait_stamps));
      if (editOf.size === 0) return [];
      const edits = selectEditChanges.all(JSON.stringify([...new Set(editOf.values())]));
      return traitsEditedBy(editOf, new Map(edits.map((edit) => [edit.id, edit.changes])));
    },
    timeline(profileId, filter, after, limit) {
      const params = { profileId, type: filter.type ?? null, event: filter.event ?? null, limit };
      const rows = after
        ? timelineAfter.all({ ...params, timestamp: after.key, id: after.id })
        : timelineFirst.all(params);
      return rows as EventRow[];
    },
  };
}

function listKey(sort: ContactSort, paged: boolean, searching: boolean): string {
  return `${sort}|${paged}|${searching}`;
}

function listSql(sort: ContactSort, paged: boolean, searching: boolean): string {
  // LIKE ignores ASCII case, as identity's lower-casing of emails does.
  const search = `(contact_email LIKE @prefix ESCAPE '\\' OR contact_name LIKE @prefix ESCAPE '\\')`;
  return keysetSql(sort, paged, searching ? [search] : []);
}

/**
 * A page of live contacts in `sort` order, strictly after (@key, @id) when `paged`, LIMIT @limit;
 * `conditions` are ANDed in. Shared by GET /v1/contacts and POST /v1/contacts/search.
 */
export function keysetSql(sort: ContactSort, paged: boolean, conditions: readonly string[]): string {
  const { orderBy, after } = sortSql(sort);
  const where = ['merged_into IS NULL', ...(paged ? [after] : []), ...conditions];
  return `SELECT ${profileRowColumns} FROM profiles WHERE ${where.join(' AND ')} ${orderBy} LIMIT @limit`;
}

function timelineSql(paged: boolean): string {
  return `SELECT id, timestamp, body FROM events
    WHERE profile_id IN (SELECT @profileId UNION ALL SELECT id FROM profiles WHERE merged_into = @profileId)
      AND (@type IS NULL OR type = @type) AND (@event IS NULL OR event = @event)
      ${paged ? 'AND (timestamp, id) < (@timestamp, @id)' : ''}
    ORDER BY timestamp DESC, id DESC LIMIT @limit`;
}

/**
 * The strings starting with `q`, ASCII letters lower-cased as LIKE ignores their case, as a range
 * in code-point order (which is SQLite's BINARY order of UTF-8): [q, q with its last character
 * one higher). None when that character has no successor a string can hold.
 */
export function prefixRange(q: string): { lo: string; hi: string } | undefined {
  const lo = lowerAscii(q);
  const end = lo.length - 1;
  const isPair = end > 0 && /[\uDC00-\uDFFF]/.test(lo.charAt(end)) && /[\uD800-\uDBFF]/.test(lo.charAt(end - 1));
  const start = isPair ? end - 1 : end;
  const last = lo.codePointAt(start) as number;
  // A lone surrogate, or the last code point there is: leave it to LIKE.
  if ((last >= 0xd800 && last <= 0xdfff) || last >= 0x10ffff) return undefined;
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  return { lo, hi: lo.slice(0, start) + String.fromCodePoint(next) };
}
