import { describe, expect, it } from 'vitest';
import type { ContactSort } from '../../../contacts/contact-schemas.js';
import { contactSorts } from '../../../contacts/contact-schemas.js';
import type { SearchBody, SearchPage } from '../../../contacts/contact-search-spec.js';
import { openDatabase } from '../open-database.js';
import { createContactQueries } from './contact-queries.js';
import { createContactSearch } from './contact-search.js';

/**
 * A search whose indexed condition has at most the count limit of matches reads them all and cuts
 * the page from them (a bounded walk down the sort's index, else a lookup of each); past the limit
 * it walks the sort's index with per-row probes. A search with no indexed condition reads its
 * matches up to the count limit, pages them when that is all of them, and walks otherwise. Both must
 * give the same pages: this compares them.
 */

const contacts = 400;

/** `team` is 'tail' for the 30 contacts seen longest ago, so a walk from the newest meets none. */
function seededDatabase() {
  const db = openDatabase(':memory:');
  const insert = db.prepare(
    `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, event_count, created_at, updated_at, traits, contact_email)
     VALUES ('ct_' || lower(hex(randomblob(12))), @first, @last, 1, @created, @created, @traits, @email)`,
  );
  db.transaction(() => {
    for (let n = 0; n < contacts; n += 1) {
      // Spread, with ties, so keyset paging has to break them by id.
      const last = ((n * 7_919) % contacts) * 1_000 - (n % 3 === 0 ? 1_000 : 0);
      const traits = {
        team: last < 30_000 ? 'tail' : n % 5 === 0 ? 'spread' : 'rest',
        country: ['FR', 'DE', 'GB'][n % 3],
        seats: n % 4,
      };
      insert.run({
        first: last - (n % 11) * 500,
        last,
        created: n * 10,
        traits: JSON.stringify(traits),
        email: n % 13 === 0 ? '' : `p${(n * 31) % contacts}@example.com`,
      });
    }
  })();
  return db;
}

/** Every page, following nextCursor. */
function allPages(search: (body: SearchBody) => SearchPage, body: Omit<SearchBody, 'cursor'>): SearchPage[] {
  const pages: SearchPage[] = [];
  let cursor: string | undefined;
  do {
    const page = search({ ...body, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < contacts);
  return pages;
}

const filterSets = {
  'one indexed trait, spread over the sort order': [{ field: 'traits.team', op: 'eq', value: 'spread' }],
  'one indexed trait, all at one end of it': [{ field: 'traits.team', op: 'eq', value: 'tail' }],
  'two indexed traits': [
    { field: 'traits.team', op: 'eq', value: 'rest' },
    { field: 'traits.country', op: 'eq', value: 'FR' },
  ],
  'an indexed trait and a lastSeenAt range': [
    { field: 'traits.country', op: 'eq', value: 'DE' },
    { field: 'lastSeenAt', op: 'gte', value: new Date(200_000).toISOString() },
  ],
  'no indexed condition: a lastSeenAt range': [
    { field: 'lastSeenAt', op: 'gte', value: new Date(100_000).toISOString() },
    { field: 'lastSeenAt', op: 'lt', value: new Date(300_000).toISOString() },
  ],
  'no indexed condition: an email that contains': [{ field: 'email', op: 'contains', value: '7@' }],
  'an indexed trait and an unindexed one': [
    { field: 'traits.team', op: 'eq', value: 'tail' },
    { field: 'traits.seats', op: 'gte', value: 2 },
  ],
};

describe('a page cut from every match equals a page walked from the sort index', () => {
  const db = seededDatabase();
  const queries = createContactQueries(db);
  // At 10,000 every set here is "few"; at 1 every set is "many", so the other path answers.
  const fromMatches = createContactSearch(db, queries);
  const fromWalk = createContactSearch(db, queries, undefined, 1);
  const sorts = contactSorts as readonly ContactSort[];

  for (const [name, filters] of Object.entries(filterSets)) {
    it(`${name}: same contacts, same order, every sort, pages of 1, 7 and 50`, () => {
      for (const sort of sorts) {
        for (const limit of [1, 7, 50]) {
          const body = { filters, sort, limit };
          const matched = allPages(fromMatches.search, body);
          const walked = allPages(fromWalk.search, body);
          const ids = (pages: SearchPage[]) => pages.flatMap((page) => page.data.map((contact) => contact.id));
          expect({ sort, limit, ids: ids(matched) }).toEqual({ sort, limit, ids: ids(walked) });
          expect(matched.map((page) => page.nextCursor === null)).toEqual(
            walked.map((page) => page.nextCursor === null),
          );
          const total = ids(matched).length;
          expect(total).toBeGreaterThan(0);
          for (const page of matched) expect(page.total).toEqual({ value: total, isEstimate: false });
        }
      }
    });
  }

  it('reads the total from the matches: exact, and no matches give an empty page', () => {
    const none = fromMatches.search({
      filters: [
        { field: 'traits.team', op: 'eq', value: 'tail' },
        { field: 'traits.team', op: 'eq', value: 'spread' },
      ],
      sort: '-lastSeenAt',
      limit: 50,
    });
    expect(none).toEqual({ data: [], nextCursor: null, total: { value: 0, isEstimate: false } });
    const tail = fromMatches.search({
      filters: [{ field: 'traits.team', op: 'eq', value: 'tail' }],
      sort: 'createdAt',
      limit: 50,
    });
    const expected = db
      .prepare("SELECT count(*) AS n FROM profiles WHERE json_extract(traits, '$.team') = 'tail'")
      .get() as { n: number };
    expect(tail.total).toEqual({ value: expected.n, isEstimate: false });
    expect(expected.n).toBeGreaterThan(20);
  });
});
