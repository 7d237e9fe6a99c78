import { createRoute, z } from '@hono/zod-openapi';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../storage/open-database.js';
import type { ContactQueries } from './contact-queries.js';
import { countSql, keysetSql, liveCountSql } from './contact-queries.js';
import { readCursor, sortKey } from './contact-reads.js';
import type { Contact, ContactSort } from './contact-schemas.js';
import { contactSchema, contactSorts, errorSchema } from './contact-schemas.js';
import type { ProfileRow } from './contact-view.js';
import { noDetails, toContact } from './contact-view.js';
import { encodeCursor } from './cursor.js';
import type { Filter } from './search-filters.js';
import { compileFilters, filterFields, filterOps, maxInValues } from './search-filters.js';

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

const totalSchema = z.object({
  value: z.number().int(),
  isEstimate: z
    .boolean()
    .openapi({ description: `true when more than ${exactCountLimit} match: value is then ${exactCountLimit + 1}` }),
});
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

/**
 * Up to this many matches of an indexed condition, a page is cut from all of them, sorted; past
 * it, from a walk down the sort's index. At about 1% of a million contacts (10,000) the walk is
 * ten times faster (bench:contacts); a profile lookup costs several index steps.
 */
const driveFromSetUpTo = 2_000;

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

  return {
    search(body) {
      const filters = compileFilters(body.filters as Filter[]);
      const { column, keyType } = sortKey(body.sort);
      // The cursor's sort names the filters too: a cursor from another sort or filter set is refused.
      const cursorSort = `search:${body.sort}:${filters.hash}`;
      const after = body.cursor === undefined ? undefined : readCursor(body.cursor, cursorSort, keyType);
      // Counting stops one past the limit: that row says "more than the limit" without a full scan.
      const counted = (sql: string) =>
        (prepared(sql).get({ ...filters.params, cap: countLimit + 1 }) as { n: number }).n;
      const { conditions: all, liveIdSets } = filters;
      const setSizes = liveIdSets.map((set) => counted(liveCountSql([set], 0)));
      const smallest = setSizes.indexOf(Math.min(...setSizes));
      const isAllIndexed = liveIdSets.length > 0 && liveIdSets.length === all.length;
      let total: number;
      if (!isAllIndexed) total = counted(countSql(all));
      else total = liveIdSets.length === 1 ? (setSizes[0] as number) : counted(liveCountSql(liveIdSets, smallest));
      // Start from an indexed condition's matches only when they are few: reading each costs a
      // profile lookup, and then a sort. Else walk the sort's index, keeping the rows that match.
      const conditions = Math.min(...setSizes) <= driveFromSetUpTo ? filters.conditions : filters.probeConditions;
      const params: Record<string, unknown> = { ...filters.params, limit: body.limit + 1 };
      if (after) Object.assign(params, { key: after.key, id: after.id });
      const rows = prepared(keysetSql(body.sort as ContactSort, after !== undefined, conditions)).all(
        params,
      ) as ProfileRow[];
      const page = rows.slice(0, body.limit);
      const details = queries.detailsOf(page.map((row) => row.id));
      const last = page.at(-1);
      return {
        data: page.map((row): Contact => toContact(row, details.get(row.id) ?? noDetails)),
        nextCursor:
          rows.length > body.limit && last
            ? encodeCursor({ sort: cursorSort, key: last[column] as string | number, id: last.id })
            : null,
        total: { value: total, isEstimate: total > countLimit },
      };
    },
  };
}
