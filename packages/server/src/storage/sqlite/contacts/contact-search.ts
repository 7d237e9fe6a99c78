import type { Statement } from 'better-sqlite3';
import type { Contact, ContactSort } from '../../../contacts/contact-schemas.js';
import { countedTotal, exactCountLimit } from '../../../contacts/contact-search-spec.js';
import { type ContactQueries, type ContactSearch, sortKey } from '../../../contacts/contact-store.js';
import type { ProfileRow } from '../../../contacts/contact-view.js';
import { noDetails, toContact } from '../../../contacts/contact-view.js';
import type { Filter } from '../../../contacts/search-filter-spec.js';
import type { SqliteDatabase } from '../open-database.js';
import { loadCursorCodec } from '../server-secrets.js';
import type { Synchronous } from '../synchronous.js';
import { keysetSql } from './contact-queries.js';
import { createIdPager, type PageOrder } from './id-page.js';
import type { CompiledFilters, LiveIdSet } from './search-filters.js';
import { type ComputedTraitsKnown, compileFilters } from './search-filters.js';
import { liveCountSql, liveIdsSql, matchesSql, matchingIdsInSetSql, matchingIdsSql } from './search-sql.js';

// Enough for every shape a UI produces; past it the oldest shape is prepared again when next used.
const maxCachedStatements = 200;

/**
 * `computedTraits` names the computed traits a filter may read; `countLimit` is injectable so a test
 * can reach the estimate without 10,000 contacts.
 */
export function createContactSearch(
  db: SqliteDatabase,
  queries: Synchronous<ContactQueries>,
  computedTraits: ComputedTraitsKnown = () => undefined,
  countLimit = exactCountLimit,
): Synchronous<ContactSearch> {
  // The SQL text is fixed by the filters' fields and ops (values are bound), so it is the cache key.
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement) return statement;
    statement = db.prepare(sql);
    if (statements.size >= maxCachedStatements) statements.delete(statements.keys().next().value as string);
    statements.set(sql, statement);
    return statement;
  };
  // Counts and lists stop one past the limit: that row says "more than the limit" without a full scan.
  const cap = countLimit + 1;
  const ids = (sql: string, params: Record<string, unknown>) => prepared(sql).pluck(true).all(params) as number[];
  const count = (sql: string, params: Record<string, unknown>) => (prepared(sql).get(params) as { n: number }).n;
  const pageOf = createIdPager(db);
  const cursors = loadCursorCodec(db);

  /**
   * Every match, read starting from the indexed condition `driver`, which has at most `countLimit`:
   * the total is their number, exact, and the page is cut from them.
   */
  function fromMatches(filters: CompiledFilters, driver: number, order: PageOrder) {
    const set = filters.liveIdSets[driver] as LiveIdSet;
    const live = filters.liveBesides(driver);
    const sql = live ? liveIdsSql(set, live) : matchingIdsInSetSql(set, filters.besides(driver));
    const matches = ids(sql, { ...filters.params, cap });
    return { total: matches.length, rows: queries.profilesByIds(pageOf(matches, order)) };
  }

  /**
   * Many matches in every indexed condition, or no indexed condition. The matches are read once, as
   * SQLite best finds them, up to the cap: when that is all of them, the total is their number and
   * the page is cut from them; else the page walks the sort's index. So a condition no index serves
   * (contains) scans the contacts once, not once for the total and again for the page.
   */
  function fromConditions(filters: CompiledFilters, smallest: number, order: PageOrder) {
    const { liveIdSets, conditions, params } = filters;
    const everyIndexed = liveIdSets.length > 0 && liveIdSets.length === conditions.length;
    // Through the smallest set only when nothing else narrows the count: a range SQLite may drive
    // the count from could be far smaller than the set.
    const live = everyIndexed ? filters.liveBesides(smallest) : undefined;
    const set = liveIdSets[smallest] as LiveIdSet;
    const matchesOf = matchesSql(live ? liveIdsSql(set, live) : matchingIdsSql(conditions));
    const matches = prepared(matchesOf).get({ ...params, cap }) as { n: number; ids: string };
    const total = matches.n;
    if (total <= countLimit) {
      return { total, rows: queries.profilesByIds(pageOf(JSON.parse(matches.ids) as number[], order)) };
    }
    // Probes, not sets: each row of the walk is checked against the indexes, none is read in full.
    const { sort, after, limit } = order;
    const walk = keysetSql(sort, after !== undefined, filters.probeConditions);
    const rows = prepared(walk).all({ ...params, limit, ...(after && { key: after.key, id: after.id }) });
    return { total, rows: rows as ProfileRow[] };
  }

  return {
    search(body) {
      const filters = compileFilters(body.filters as Filter[], computedTraits);
      const sort = body.sort as ContactSort;
      const { column, keyType } = sortKey(sort);
      // The cursor's sort names the filters too: a cursor from another sort or filter set is refused.
      const cursorSort = `search:${body.sort}:${filters.hash}`;
      const after = body.cursor === undefined ? undefined : cursors.read(body.cursor, cursorSort, keyType);
      const setSizes = filters.liveIdSets.map((set) => count(liveCountSql(set, []), { ...filters.params, cap }));
      const smallest = setSizes.indexOf(Math.min(...setSizes));
      // One row more than asked tells whether another page exists.
      const order: PageOrder = { sort, after, limit: body.limit + 1 };
      const { total, rows } =
        smallest >= 0 && (setSizes[smallest] as number) <= countLimit
          ? fromMatches(filters, smallest, order)
          : fromConditions(filters, Math.max(smallest, 0), order);
      const page = rows.slice(0, body.limit);
      const details = queries.detailsOf(page.map((row) => row.id));
      const last = page.at(-1);
      return {
        data: page.map((row): Contact => toContact(row, details.get(row.id) ?? noDetails)),
        nextCursor:
          rows.length > body.limit && last
            ? cursors.encode({ sort: cursorSort, key: last[column] as string | number, id: last.id })
            : null,
        total: countedTotal(total, countLimit),
      };
    },
  };
}
