import { createRoute, z } from '@hono/zod-openapi';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../storage/open-database.js';
import type { ContactQueries } from './contact-queries.js';
import { keysetSql } from './contact-queries.js';
import { sortKey } from './contact-reads.js';
import type { Contact, ContactSort } from './contact-schemas.js';
import { contactSchema, contactSorts, errorSchema } from './contact-schemas.js';
import type { ProfileRow } from './contact-view.js';
import { noDetails, toContact } from './contact-view.js';
import { loadCursorCodec } from './cursor.js';
import { createIdPager, type PageOrder } from './id-page.js';
import type { CompiledFilters, Filter, LiveIdSet } from './search-filters.js';
import { compileFilters, filterFields, filterOps, maxInValues } from './search-filters.js';
import { liveCountSql, liveIdsSql, matchesSql, matchingIdsInSetSql, matchingIdsSql } from './search-sql.js';

export const maxFilters = 20;
/** Past this many matches the total stops counting: an exact count of millions is a full scan per page. */
export const exactCountLimit = 10_000;

const filterSchema = z
  .object({
    // Plain strings here: search-filters.ts checks field, op and value together, so that every
    // problem with a filter is reported the same way, as `filters[i].<part>: …`.
    field: z.string().openapi({ description: `One of ${filterFields.join(', ')}`, example: 'traits.plan' }),
    op: z.string().openapi({ enum: [...filterOps], example: 'eq' }),
    value: z
      .unknown()
      .optional()
      .openapi({
        description: `A string, number or boolean; an array of 1–${maxInValues} for in; none for exists and notExists`,
      }),
  })
  .strict()
  .openapi('SearchFilter');

export const searchBodySchema = z
  .object({
    filters: z.array(filterSchema).max(maxFilters).default([]),
    sort: z.enum(contactSorts).default('-lastSeenAt').openapi({ description: '`-` sorts descending' }),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).optional().openapi({ description: 'nextCursor of the previous page, same body' }),
  })
  .strict()
  .openapi('ContactSearch', {
    example: { filters: [{ field: 'tags', op: 'contains', value: 'vip' }], sort: '-lastSeenAt', limit: 50 },
  });
export type SearchBody = z.infer<typeof searchBodySchema>;

export const totalSchema = z.object({
  value: z.number().int(),
  isEstimate: z
    .boolean()
    .openapi({ description: `true when more than ${exactCountLimit} match: value is then ${exactCountLimit + 1}` }),
});
/** A total counted up to `limit` + 1, as `totalSchema` describes it. */
export function countedTotal(value: number, limit = exactCountLimit): z.infer<typeof totalSchema> {
  return { value, isEstimate: value > limit };
}

export const searchPageSchema = z
  .object({
    data: z.array(contactSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor`, with the same body, for the next page' }),
    total: totalSchema,
  })
  .openapi('ContactSearchPage');
export type SearchPage = z.infer<typeof searchPageSchema>;

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const searchContactsRoute = createRoute({
  method: 'post',
  path: '/contacts/search',
  tags: ['Contacts'],
  security: [{ adminToken: [] }],
  summary: 'Contacts matching every filter, a page at a time, with their total',
  request: { body: { required: true, content: { 'application/json': { schema: searchBodySchema } } } },
  responses: {
    200: json(searchPageSchema, 'A page of matching contacts'),
    400: json(errorSchema, 'The body is invalid; the message names the field, such as filters[2].value'),
    401: json(errorSchema, 'Missing, unknown or revoked admin token'),
  },
});

export interface ContactSearch {
  search(body: SearchBody): SearchPage;
}

// Enough for every shape a UI produces; past it the oldest shape is prepared again when next used.
const maxCachedStatements = 200;

/** `countLimit` is injectable so a test can reach the estimate without 10,000 contacts. */
export function createContactSearch(
  db: SqliteDatabase,
  queries: ContactQueries,
  countLimit = exactCountLimit,
): ContactSearch {
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
      const filters = compileFilters(body.filters as Filter[]);
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
