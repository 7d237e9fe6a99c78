import type { Contact, ContactSort } from '../../../contacts/contact-schemas.js';
import { countedTotal, exactCountLimit } from '../../../contacts/contact-search-spec.js';
import { type ContactQueries, type ContactSearch, sortKey } from '../../../contacts/contact-store.js';
import { noDetails, type ProfileRow, toContact } from '../../../contacts/contact-view.js';
import type { CursorCodec } from '../../../contacts/cursor.js';
import type { Filter } from '../../../contacts/search-filter-spec.js';
import type { ComputedTraitsKnown } from '../../filter-values.js';
import { profileRowColumns } from '../../profile-row.js';
import type { PostgresPool } from '../postgres-pool.js';
import { afterSql, orderBySql } from './postgres-contact-queries.js';
import { compilePostgresFilters } from './postgres-search-filters.js';

/**
 * POST /v1/contacts/search on PostgreSQL: the live contacts every filter matches, counted up to the
 * count limit (one more says "more than that"), and a page of them in the sort's order after the
 * cursor. The cursor names the sort and the filters, as SQLite's does
 * (storage/sqlite/contacts/contact-search.ts).
 */
export function createPostgresContactSearch(
  pool: PostgresPool,
  deps: {
    readonly queries: ContactQueries;
    readonly cursors: CursorCodec;
    /** The computed traits a filter may name, read when a search names one. */
    readonly computedTraits: () => Promise<ComputedTraitsKnown>;
    readonly countLimit?: number;
  },
): ContactSearch {
  const countLimit = deps.countLimit ?? exactCountLimit;
  return {
    async search(body) {
      const filters = body.filters as Filter[];
      const names = filters.some((filter) => filter.field.startsWith('computed.'))
        ? await deps.computedTraits()
        : () => undefined;
      const sort = body.sort as ContactSort;
      const { column, keyType } = sortKey(sort);
      // The filters' parameters come first ($1…$n); each statement's own follow them.
      const compiled = compilePostgresFilters(filters, names, 1);
      const next = (offset: number) => `$${compiled.params.length + offset}`;
      const cursorSort = `search:${body.sort}:${compiled.hash}`;
      const after = body.cursor === undefined ? undefined : deps.cursors.read(body.cursor, cursorSort, keyType);
      const where = ['merged_into IS NULL', ...compiled.conditions].join(' AND ');
      const counted = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM profiles WHERE ${where} LIMIT ${next(1)}) AS matches`,
        [...compiled.params, countLimit + 1],
      );
      const total = (counted.rows[0] as { n: number }).n;
      // One row more than asked tells whether another page exists.
      const { rows } = await pool.query<ProfileRow>(
        `SELECT ${profileRowColumns} FROM profiles WHERE ${where}
           ${after ? `AND ${afterSql(sort, next(2), next(3))}` : ''}
         ${orderBySql(sort)} LIMIT ${next(1)}`,
        [...compiled.params, body.limit + 1, ...(after ? [after.key, after.id] : [])],
      );
      const page = rows.slice(0, body.limit);
      const details = await deps.queries.detailsOf(page.map((row) => row.id));
      const last = page.at(-1);
      return {
        data: page.map((row): Contact => toContact(row, details.get(row.id) ?? noDetails)),
        nextCursor:
          rows.length > body.limit && last
            ? deps.cursors.encode({ sort: cursorSort, key: last[column] as string | number, id: last.id })
            : null,
        total: countedTotal(total, countLimit),
      };
    },
  };
}
