import { afterEach, describe, expect, it } from 'vitest';
import { type ContactSort, contactSorts } from '../../contacts/contact-schemas.js';
import { type ContactQueries, sortKey, type TimelineFilter } from '../../contacts/contact-store.js';
import type { ProfileRow } from '../../contacts/contact-view.js';
import type { Cursor } from '../../contacts/cursor.js';
import { randomBatches } from '../../testing/random-batches.js';
import { migrate } from '../sqlite/migrate.js';
import { openDatabase } from '../sqlite/open-database.js';
import { createSqliteStore } from '../sqlite/sqlite-store.js';
import { newEvents } from '../store-harness.contract.js';
import { createPostgresPool } from './postgres-pool.js';
import { openPostgresParts, postgresParts, testPipeline, testRules } from './postgres-store-parts.js';
import { testPostgresUrl } from './postgres-test-kit.js';

const rules = testRules;
const pipeline = testPipeline;
const openPostgres = openPostgresParts;

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

/** What a listed contact shows, without the ids each engine draws for itself. */
const shown = (row: ProfileRow) =>
  `${row.contact_email}|${row.event_count}|${row.first_seen_at}|${row.last_seen_at}|${row.traits}`;

/** Every page of a list, each asked for with the cursor of the page before, as the API does. */
async function allPages(queries: ContactQueries, sort: ContactSort, q: string | undefined): Promise<string[]> {
  const seen: string[] = [];
  let after: Cursor | undefined;
  for (let page = 0; page < 50; page++) {
    const rows = await queries.listContacts(sort, after, q, 2);
    seen.push(...rows.map(shown));
    const last = rows.at(-1);
    if (rows.length < 2 || !last) return seen;
    after = { sort, key: last[sortKey(sort).column] as string | number, id: last.id };
  }
  throw new Error('more pages than there are contacts');
}

describe('PostgreSQL contact queries', () => {
  it('list, page, search and show contacts as SQLite does, for the same events (seeded)', async () => {
    // The API takes 1 to 200 characters.
    const prefixes = [undefined, 'a', 'B', 'bo@', 'ÉMILE', 'é', 'ada l', '%', '_', 'zz', ' '];
    for (const seed of [11, 12, 13]) {
      const postgres = await openPostgres();
      closing.push(postgres.close);
      const db = openDatabase(':memory:');
      closing.push(async () => {
        db.close();
      });
      migrate(db);
      const sqliteStore = createSqliteStore(db, { pipeline: pipeline(), rules, now: () => postgres.clock.time });
      for (const batch of randomBatches(seed, 30)) {
        const events = newEvents(postgres, batch);
        await sqliteStore.events.insertEvents(events);
        await postgres.store.events.insertEvents(events);
      }
      const sqlite = sqliteStore.contacts.queries;
      const pg = postgres.store.contacts.queries;
      let listed = 0;
      for (const sort of contactSorts) {
        for (const q of prefixes) {
          const expected = await allPages(sqlite, sort, q);
          listed += expected.length;
          expect(await allPages(pg, sort, q), `seed ${seed}, ${sort}, q=${q}`).toEqual(expected);
        }
      }
      expect(listed).toBeGreaterThan(50);

      // Each contact's details and timeline, found by an identifier it holds.
      for (const row of await sqlite.listContacts('email', undefined, undefined, 100)) {
        const details = (await sqlite.detailsOf([row.id])).get(row.id);
        const identifier = details?.identifiers[0];
        if (!identifier) throw new Error('a contact without identifiers');
        const other = await pg.profileByIdentifier(identifier.type, identifier.value);
        if (!other) throw new Error(`PostgreSQL has no ${identifier.type}:${identifier.value}`);
        expect(shown(other)).toBe(shown(row));
        const otherDetails = (await pg.detailsOf([other.id])).get(other.id);
        expect(otherDetails?.identifiers).toEqual(details?.identifiers);
        expect(otherDetails?.companies).toEqual(details?.companies);
        expect(otherDetails?.merges.map((merge) => merge.message_id)).toEqual(
          details?.merges.map((merge) => merge.message_id),
        );
        const timeline = async (
          queries: ContactQueries,
          id: number,
          filter: TimelineFilter = { type: undefined, event: undefined },
        ) => {
          const bodies: string[] = [];
          let after: Cursor | undefined;
          for (;;) {
            const rows = await queries.timeline(id, filter, after, 3);
            bodies.push(...rows.map((event) => event.body));
            const last = rows.at(-1);
            if (rows.length < 3 || !last) return bodies;
            after = { sort: 'timeline', key: last.timestamp, id: last.id };
          }
        };
        expect(await timeline(pg, other.id)).toEqual(await timeline(sqlite, row.id));
        const tracks = { type: 'track', event: undefined };
        expect(await timeline(pg, other.id, tracks)).toEqual(await timeline(sqlite, row.id, tracks));
      }
    }
  });

  it('makes one contact of a contact made by hand and an event with its email, sent at once', async () => {
    const postgres = await openPostgres();
    closing.push(postgres.close);
    const people = Array.from({ length: 20 }, (_, index) => `p${index}@example.com`);
    const results = await Promise.all(
      people.flatMap((email) => [
        postgres.store.contacts.writes.create({ email, owner: 'sam' }),
        postgres.store.events.insertEvents(
          newEvents(postgres, [{ type: 'identify', anonymousId: `a-${email}`, traits: { email } }]),
        ),
      ]),
    );
    expect(results.filter((result: unknown) => Array.isArray(result))).toEqual(people.map(() => ['inserted']));
    const { rows } = await postgres.schema.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM profiles WHERE merged_into IS NULL',
    );
    expect(rows[0]?.n).toBe(people.length);
    for (const email of people) {
      const row = await postgres.store.contacts.queries.profileByIdentifier('email', email);
      const details = row ? (await postgres.store.contacts.queries.detailsOf([row.id])).get(row.id) : undefined;
      expect(details?.identifiers.map((identifier) => identifier.type).sort()).toEqual(['anonymous_id', 'email']);
    }
  });

  it('makes one contact of an imported row and an event with its email, sent at once', async () => {
    const postgres = await openPostgres();
    closing.push(postgres.close);
    const people = Array.from({ length: 20 }, (_, index) => `p${index}@example.com`);
    const options = {
      key: 'email' as const,
      mode: 'upsert' as const,
      importId: 'imp_1',
      limitOf: (type: string) => (type === 'user_id' ? 1 : 10),
      maxIdentifiers: 20,
    };
    const results = await Promise.all(
      people.flatMap((email, line) => [
        postgres.store.contacts.imports.importRows(
          [{ line, email, traits: { plan: 'pro' }, at: postgres.clock.time }],
          options,
        ),
        postgres.store.events.insertEvents(
          newEvents(postgres, [{ type: 'identify', anonymousId: `a-${email}`, traits: { email } }]),
        ),
      ]),
    );
    expect(results.filter((_, index) => index % 2 === 1)).toEqual(people.map(() => ['inserted']));
    const { rows } = await postgres.schema.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM profiles WHERE merged_into IS NULL',
    );
    expect(rows[0]?.n).toBe(people.length);
    for (const email of people) {
      const row = await postgres.store.contacts.queries.profileByIdentifier('email', email);
      expect(JSON.parse(row?.traits ?? '{}'), email).toMatchObject({ plan: 'pro', email });
    }
  });

  it('loses no event of a contact merged by an admin while another server stores its events', async () => {
    const postgres = await openPostgres();
    closing.push(postgres.close);
    const people = Array.from({ length: 10 }, (_, index) => index);
    for (const person of people) {
      await postgres.store.events.insertEvents(
        newEvents(postgres, [
          { type: 'identify', userId: `u${person}` },
          { type: 'identify', anonymousId: `a${person}` },
        ]),
      );
    }
    const { queries, merges } = postgres.store.contacts;
    const idOf = async (type: string, value: string) => (await queries.profileByIdentifier(type, value))?.id ?? 0;
    const pairs = await Promise.all(
      people.map(async (person) => [await idOf('user_id', `u${person}`), await idOf('anonymous_id', `a${person}`)]),
    );
    // Another server, with connections of its own, stores each device's events in batches of their
    // own while its contact is merged.
    const other = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 8 });
    closing.push(() => other.end());
    const otherEvents = (await postgresParts(other, postgres.schema.schema, () => postgres.clock.time)).events;
    await Promise.all(
      pairs.flatMap(([survivor, absorbed], person) => [
        ...[1, 2, 3, 4, 5].map(() =>
          otherEvents.insertEvents(
            newEvents(postgres, [{ type: 'track', event: 'Viewed', anonymousId: `a${person}` }]),
          ),
        ),
        merges.merge(survivor as number, absorbed as number),
      ]),
    );
    for (const [index, [survivor, absorbed]] of pairs.entries()) {
      const row = await queries.profileByIdentifier('anonymous_id', `a${index}`);
      expect(row?.id).toBe(survivor);
      const { rows } = await postgres.schema.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE profile_id = ANY ($1::bigint[])',
        [[survivor, absorbed]],
      );
      expect(rows[0]?.n).toBe(7);
      expect(row?.event_count, `person ${index}`).toBe(7);
    }
  });
});
