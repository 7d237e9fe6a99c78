import type { ContactSort } from '../../../contacts/contact-schemas.js';
import type { LiveIdSet } from './filter-sql.js';
import { sortSql } from './sort-sql.js';

/**
 * The statements of POST /v1/contacts/search besides the keyset page it shares with the list
 * (contact-queries.ts). Counts and lists of matches stop at @cap; a list of ids passes in as a JSON
 * array, @ids.
 */

/**
 * Ids of the live contacts in `set` that match `conditions`: the set's ids first (CROSS JOIN keeps
 * that order), each profile then read by its id.
 */
export function matchingIdsInSetSql(set: LiveIdSet, conditions: readonly string[]): string {
  const where = ['profiles.merged_into IS NULL', ...conditions].join(' AND ');
  return `SELECT profiles.id FROM (${set}) AS live CROSS JOIN profiles ON profiles.id = live.profile_id
          WHERE ${where} LIMIT @cap`;
}

/** Ids of the live contacts that match `conditions`, found as SQLite best finds them. */
export function matchingIdsSql(conditions: readonly string[]): string {
  const where = ['merged_into IS NULL', ...conditions].join(' AND ');
  return `SELECT id FROM profiles WHERE ${where} LIMIT @cap`;
}

/** How many ids `idsSql` reads (a statement with an `id` column), and those ids as a JSON array. */
export function matchesSql(idsSql: string): string {
  return `SELECT count(*) AS n, json_group_array(id) AS ids FROM (${idsSql})`;
}

/**
 * Ids of the contacts in `set` that match `liveConditions` (each judged on the set's row `live`, see
 * CompiledFilters.liveBesides), read from the trait index with few or no profiles.
 */
export function liveIdsSql(set: LiveIdSet, liveConditions: readonly string[]): string {
  const where = liveConditions.length > 0 ? ` WHERE ${liveConditions.join(' AND ')}` : '';
  return `SELECT live.profile_id AS id FROM (${set}) AS live${where} LIMIT @cap`;
}

/** How many of them there are. */
export function liveCountSql(set: LiveIdSet, liveConditions: readonly string[]): string {
  return `SELECT count(*) AS n FROM (${liveIdsSql(set, liveConditions)})`;
}

/**
 * The first @limit of @ids in `sort` order (past @key, @id when `paged`) met in a walk of at most
 * @scan entries down the sort's index. Fewer than @limit means the walk ended first: ask
 * `sortedIdsSql`. Cheap when the ids are dense in the sort order, whatever their number.
 */
export function walkedIdsSql(sort: ContactSort, paged: boolean): string {
  const { column, index, orderBy, after } = sortSql(sort);
  const where = ['merged_into IS NULL', ...(paged ? [after] : [])].join(' AND ');
  const walk = `SELECT id, ${column} FROM profiles INDEXED BY ${index} WHERE ${where} ${orderBy} LIMIT @scan`;
  return `SELECT id FROM (${walk}) WHERE id IN (SELECT value FROM json_each(@ids)) ${orderBy} LIMIT @limit`;
}

/**
 * The first @limit of @ids in `sort` order (past @key, @id when `paged`), each read by its id and
 * sorted: one lookup per id, wherever they fall in the sort order.
 */
export function sortedIdsSql(sort: ContactSort, paged: boolean): string {
  const { orderBy, after } = sortSql(sort);
  const where = ['id IN (SELECT value FROM json_each(@ids))', 'merged_into IS NULL', ...(paged ? [after] : [])];
  // NOT INDEXED keeps SQLite from walking the sort's index instead: ids are read by rowid.
  return `SELECT id FROM profiles NOT INDEXED WHERE ${where.join(' AND ')} ${orderBy} LIMIT @limit`;
}
