import { afterEach, describe, expect, it } from 'vitest';
import { type Contact, contactSorts } from '../../contacts/contact-schemas.js';
import type { ContactStore } from '../../contacts/contact-store.js';
import type { ContactPatch } from '../../contacts/contact-write-schemas.js';
import type { Filter } from '../../contacts/search-filter-spec.js';
import { define, settle } from '../../testing/audience-definitions.js';
import { randomBatches } from '../../testing/random-batches.js';
import { seededRandom } from '../../testing/seeded-random.js';
import { contractStart, newEvents } from '../store-harness.contract.js';
import { openPostgresBesideSqlite } from './postgres-store-parts.js';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

const iso = (second: number) => new Date(contractStart + second * 1000).toISOString();

/** Filters of every field and op, with values that meet case, accents, types and wildcards; `aud:` names an audience. */
const catalogue: Filter[] = [
  { field: 'traits.plan', op: 'eq', value: 'pro' },
  { field: 'traits.plan', op: 'neq', value: 'pro' },
  { field: 'traits.plan', op: 'in', value: ['free', 'team', 5] },
  { field: 'traits.plan', op: 'contains', value: 'R' },
  { field: 'traits.plan', op: 'startsWith', value: 'f' },
  { field: 'traits.plan', op: 'gt', value: 'free' },
  { field: 'traits.plan', op: 'lte', value: 'pro' },
  { field: 'traits.plan', op: 'exists' },
  { field: 'traits.name', op: 'notExists' },
  { field: 'traits.name', op: 'eq', value: 42 },
  { field: 'traits.name', op: 'gte', value: 40 },
  { field: 'traits.email', op: 'contains', value: '@EXAMPLE' },
  { field: 'traits.plan.level', op: 'exists' },
  { field: 'email', op: 'eq', value: 'Bo@Example.com' },
  { field: 'email', op: 'contains', value: 'EXAMPLE' },
  { field: 'email', op: 'startsWith', value: 'éva' },
  { field: 'email', op: 'exists' },
  { field: 'email', op: 'neq', value: 'ada@example.com' },
  { field: 'name', op: 'contains', value: 'zola' },
  { field: 'name', op: 'startsWith', value: 'Bo' },
  { field: 'name', op: 'in', value: ['Ada Lovelace', 'Dee'] },
  { field: 'name', op: 'notExists' },
  { field: 'eventCount', op: 'gte', value: 3 },
  { field: 'eventCount', op: 'in', value: [1, 2] },
  { field: 'firstSeenAt', op: 'lt', value: iso(50) },
  { field: 'lastSeenAt', op: 'gte', value: iso(60) },
  { field: 'company', op: 'eq', value: 'g1' },
  { field: 'company', op: 'neq', value: 'g2' },
  { field: 'company', op: 'exists' },
  { field: 'tags', op: 'contains', value: 'vip' },
  { field: 'tags', op: 'notExists' },
  { field: 'owner', op: 'eq', value: 'sam' },
  { field: 'lifecycleStage', op: 'in', value: ['lead', 'customer'] },
  { field: 'audience', op: 'eq', value: 'aud:pro' },
  { field: 'audience', op: 'neq', value: 'aud:busy' },
  { field: 'audience', op: 'in', value: ['aud:payers', 'aud:named'] },
  { field: 'computed.views', op: 'gte', value: 1 },
  { field: 'computed.recentPaid', op: 'eq', value: 0 },
  { field: 'computed.views', op: 'exists' },
];
// Refused alike: an unknown field, an op a field does not take, a bad value.
const refused: Filter[] = [
  { field: 'plan', op: 'eq', value: 'pro' },
  { field: 'lifecycleStage', op: 'contains', value: 'le' },
  { field: 'eventCount', op: 'gt', value: 'many' },
  { field: 'computed.nothing', op: 'exists' },
  { field: 'traits.a b', op: 'exists' },
];

/** A contact as both engines show it, without the ids each draws for itself. */
const shown = (contact: Contact) =>
  `${contact.email}|${contact.name}|${contact.identities.map((identity) => `${identity.type}:${identity.value}`).join(',')}|${contact.eventCount}`;

async function allPages(search: ContactStore['search'], filters: Filter[], sort: (typeof contactSorts)[number]) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let total: unknown;
  for (let page = 0; page < 40; page++) {
    const result = await search.search({ filters, sort, limit: 3, ...(cursor ? { cursor } : {}) });
    total ??= result.total;
    seen.push(...result.data.map(shown));
    if (!result.nextCursor) return { total, seen };
    cursor = result.nextCursor;
  }
  throw new Error('more pages than there are contacts');
}

describe('PostgreSQL contact search', () => {
  it('finds, counts and pages the same contacts as SQLite for the same filters (seeded)', async () => {
    for (const seed of [31, 32]) {
      const postgres = await openPostgresBesideSqlite();
      closing.push(postgres.close);
      const { sqlite } = postgres;
      const names = new Map([
        ...(await define(sqlite, postgres.clock)),
        ...(await define(postgres.store, postgres.clock)),
      ]);
      for (const batch of randomBatches(seed, 40)) {
        const events = newEvents(postgres, batch);
        await sqlite.events.insertEvents(events);
        await postgres.store.events.insertEvents(events);
      }
      await settle(sqlite);
      await settle(postgres.store);
      // Fields only people set, on both.
      const patches: [string, ContactPatch][] = [
        ['u1', { tags: ['vip', 'beta'], owner: 'sam', lifecycleStage: 'lead' }],
        ['u2', { tags: ['beta'], lifecycleStage: 'customer' }],
      ];
      for (const [user, patch] of patches) {
        for (const store of [sqlite, postgres.store]) {
          const row = await store.contacts.queries.profileByIdentifier('user_id', user);
          if (row) await store.contacts.writes.patch(row.id, patch);
        }
      }
      /** The filters as one engine takes them: an audience named by its id there. */
      const forEngine = (filters: Filter[], engine: 'sqlite' | 'postgres') =>
        filters
          .map((filter) => ({
            ...filter,
            value: JSON.parse(JSON.stringify(filter.value ?? null), (_, value) =>
              typeof value === 'string' && value.startsWith('aud:')
                ? [...names].find(([id, name]) => name === value.slice(4) && id.length > 0 && isOf(id, engine))?.[0]
                : value,
            ),
          }))
          .map((filter) => (filter.value === null ? { field: filter.field, op: filter.op } : filter));
      const sqliteIds = new Set((await sqlite.audiences.list()).map((audience) => audience.id));
      const isOf = (id: string, engine: 'sqlite' | 'postgres') => sqliteIds.has(id) === (engine === 'sqlite');

      const random = seededRandom(seed);
      let compared = 0;
      for (let query = 0; query < 100; query++) {
        const filters = Array.from(
          { length: Math.floor(random() * 3) + (query < catalogue.length ? 0 : 1) },
          () => catalogue[Math.floor(random() * catalogue.length)] as Filter,
        );
        if (query < catalogue.length) filters.unshift(catalogue[query] as Filter);
        const sort = contactSorts[Math.floor(random() * contactSorts.length)] as (typeof contactSorts)[number];
        const expected = await allPages(sqlite.contacts.search, forEngine(filters, 'sqlite'), sort);
        const actual = await allPages(postgres.store.contacts.search, forEngine(filters, 'postgres'), sort);
        expect(actual, `seed ${seed}, ${sort}, ${JSON.stringify(filters)}`).toEqual(expected);
        compared += expected.seen.length;
      }
      expect(compared).toBeGreaterThan(150);
      for (const filter of refused) {
        const asked = { filters: [filter], sort: 'email' as const, limit: 3 };
        const expected = await sqlite.contacts.search.search(asked).catch((error: Error) => error.message);
        expect(await postgres.store.contacts.search.search(asked).catch((error: Error) => error.message)).toBe(
          expected,
        );
        expect(expected).toMatch(/^filters\[0\]\./);
      }
    }
  }, 120_000);
});
