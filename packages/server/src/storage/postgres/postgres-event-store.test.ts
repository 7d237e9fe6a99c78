import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import { seededRandom } from '../../testing/seeded-random.js';
import type { EventStore, NewEvent } from '../event-store.js';
import { migrate } from '../sqlite/migrate.js';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database.js';
import { createSqliteStore } from '../sqlite/sqlite-store.js';
import { contractStart, newEvents, type StoreHarness } from '../store-harness.contract.js';
import { createPostgresEventStore } from './postgres-event-store.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';
import { loadPostgresIdentifierHasher } from './postgres-server-secrets.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';

type Body = Record<string, unknown>;
const rules = DEFAULT_IDENTITY_RULES;
const clock = { time: contractStart };
const now = () => clock.time;
// newEvents reads only the clock.
const harness = { clock } as unknown as StoreHarness;
const prepared = (bodies: readonly Body[], source?: string): NewEvent[] =>
  newEvents(harness, bodies, source === undefined ? {} : { source });

function serverPipeline() {
  return createServerPipeline({
    rules,
    counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
  });
}

/** One Weft server's event store on the test schema: a pool of its own, as a process has. */
async function postgresServer(schema: string, options: { maxAttempts?: number } = {}) {
  const pool = createPostgresPool(testPostgresUrl, { schema, max: 4 });
  const hash = await loadPostgresIdentifierHasher(pool);
  return createPostgresEventStore(pool, { pipeline: serverPipeline(), rules, hash, now, ...options });
}

let schemas: TestSchema[] = [];
let servers: EventStore[] = [];
afterEach(async () => {
  for (const server of servers) await server.close();
  for (const schema of schemas) await schema.close();
  schemas = [];
  servers = [];
});
async function openSchema(): Promise<TestSchema> {
  const schema = await openTestSchema();
  schemas.push(schema);
  return schema;
}
async function openServer(schema: TestSchema, options: { maxAttempts?: number } = {}): Promise<EventStore> {
  const server = await postgresServer(schema.schema, options);
  servers.push(server);
  return server;
}

/** The live contacts as both engines can be compared: identifiers, traits, counters, companies. */
interface ContactView {
  identifiers: string[];
  traits: Record<string, unknown>;
  eventCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
  mergeCount: number;
  identifierCount: number;
  companies: string[];
}
interface GraphRows {
  absorbed: { merged_into: number }[];
  profiles: {
    id: number;
    first_seen_at: number;
    last_seen_at: number;
    event_count: number;
    merge_count: number;
    identifier_count: number;
    traits: string;
  }[];
  identifiers: { type: string; value: string; profile_id: number }[];
  links: { profile_id: number; group_id: string }[];
  companies: { group_id: string; traits: string }[];
  changes: { type: string; data: string }[];
  events: { n: number }[];
}
const graphSql = {
  profiles: `SELECT id, first_seen_at, last_seen_at, event_count, merge_count, identifier_count, traits
    FROM profiles WHERE merged_into IS NULL`,
  identifiers: 'SELECT type, value, profile_id FROM identifiers',
  absorbed: 'SELECT merged_into FROM profiles WHERE merged_into IS NOT NULL',
  links: 'SELECT profile_id, group_id FROM profile_companies JOIN companies ON companies.id = company_id',
  companies: 'SELECT group_id, traits FROM companies ORDER BY group_id',
  changes: 'SELECT type, data FROM changes ORDER BY seq',
  events: 'SELECT count(*) AS n FROM events',
};

function graphView(rows: GraphRows) {
  const contacts: ContactView[] = rows.profiles.map((profile) => ({
    identifiers: rows.identifiers
      .filter((row) => row.profile_id === profile.id)
      .map((row) => `${row.type}:${row.value}`)
      .sort(),
    traits: JSON.parse(profile.traits) as Record<string, unknown>,
    eventCount: profile.event_count,
    firstSeenAt: profile.first_seen_at,
    lastSeenAt: profile.last_seen_at,
    mergeCount: profile.merge_count,
    identifierCount: profile.identifier_count,
    companies: rows.links
      .filter((row) => row.profile_id === profile.id)
      .map((row) => row.group_id)
      .sort(),
  }));
  contacts.sort((a, b) => JSON.stringify(a.identifiers).localeCompare(JSON.stringify(b.identifiers)));
  const identifiersOf = (profileId: number) =>
    rows.identifiers
      .filter((row) => row.profile_id === profileId)
      .map((row) => `${row.type}:${row.value}`)
      .sort();
  return {
    contacts,
    // Where each absorbed profile leads: straight to a live one, named by its identifiers.
    absorbed: rows.absorbed.map((row) => JSON.stringify(identifiersOf(row.merged_into))).sort(),
    companies: rows.companies.map((row) => ({ groupId: row.group_id, traits: JSON.parse(row.traits) })),
    changeTypes: rows.changes.map((row) => row.type),
    // Contact ids are drawn at random: the changes are compared without them.
    changes: rows.changes.map((row) => `${row.type} ${row.data.replace(/ct_[0-9a-f]{24}/g, 'ct')}`),
    events: Number(rows.events[0]?.n),
  };
}

async function postgresGraph(pool: PostgresPool) {
  const rows: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(graphSql)) rows[name] = (await pool.query(sql)).rows;
  return graphView(rows as unknown as GraphRows);
}
function sqliteGraph(db: SqliteDatabase) {
  const rows: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(graphSql)) rows[name] = db.prepare(sql).all();
  return graphView(rows as unknown as GraphRows);
}

/** Events of a few people over a few devices, with merges, aliases, companies and retries. */
function randomBatches(seed: number, batches: number): Body[][] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
  const devices = Array.from({ length: 12 }, (_, index) => `a${index}`);
  const emails = ['ada@example.com', 'bo@example.com', 'cy@example.com'];
  const sent: Body[] = [];
  let next = 0;
  return Array.from({ length: batches }, () =>
    Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      if (sent.length > 0 && random() < 0.08) return pick(sent);
      const at = new Date(contractStart + Math.floor(random() * 100) * 1000).toISOString();
      const who = {
        ...(random() < 0.5 ? { userId: pick(users) } : {}),
        ...(random() < 0.7 ? { anonymousId: pick(devices) } : {}),
      };
      const messageId = `m${++next}`;
      const kind = random();
      let body: Body;
      if (kind < 0.35) {
        body = {
          type: 'identify',
          ...who,
          traits: { plan: pick(['free', 'pro', 'team']), ...(random() < 0.4 ? { email: pick(emails) } : {}) },
        };
      } else if (kind < 0.45) {
        body = { type: 'alias', previousId: pick([...devices, ...users]), userId: pick(users) };
      } else if (kind < 0.55) {
        body = { type: 'group', ...who, groupId: pick(['g1', 'g2']), traits: { size: Math.floor(random() * 50) } };
      } else body = { type: 'track', event: pick(['Viewed', 'Paid']), ...who };
      if (!('userId' in body) && !('anonymousId' in body) && body.type !== 'alias') body.anonymousId = pick(devices);
      const event = { ...body, messageId, timestamp: at };
      sent.push(event);
      return event;
    }),
  );
}

describe('PostgreSQL event store', () => {
  it('stores each messageId once per source, answering one outcome per event in order', async () => {
    const schema = await openSchema();
    const server = await openServer(schema);
    expect(
      await server.insertEvents(
        prepared([
          { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' },
          { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' },
          { type: 'track', userId: 'u1', event: 'B', messageId: 'm2' },
        ]),
      ),
    ).toEqual(['inserted', 'duplicate', 'inserted']);
    expect(await server.insertEvents(prepared([{ type: 'track', userId: 'u1', messageId: 'm2', event: 'A' }]))).toEqual(
      ['duplicate'],
    );
    expect(
      await server.insertEvents(prepared([{ type: 'track', userId: 'u1', event: 'A', messageId: 'm1' }], 'ios')),
    ).toEqual(['inserted']);
    expect(await server.insertEvents([])).toEqual([]);
    const graph = await postgresGraph(schema.pool);
    expect(graph.events).toBe(3);
    expect(graph.contacts).toMatchObject([{ identifiers: ['user_id:u1'], eventCount: 3 }]);
    expect(await server.ping()).toBe(true);
    expect(await server.sizeBytes()).toBeGreaterThan(0);
  });

  it('leaves the same contacts, companies and changes as SQLite for the same batches (seeded)', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const batches = randomBatches(seed, 30);
      const db = openDatabase(':memory:');
      migrate(db);
      const sqlite = createSqliteStore(db, { pipeline: serverPipeline(), rules, now }).events;
      const schema = await openSchema();
      const server = await openServer(schema);
      for (const batch of batches) {
        const events = prepared(batch);
        expect(await server.insertEvents(events)).toEqual(await sqlite.insertEvents(events));
      }
      const expected = sqliteGraph(db);
      expect(expected.contacts.length).toBeGreaterThan(1);
      expect(await postgresGraph(schema.pool), `seed ${seed}`).toEqual(expected);
      db.close();
    }
  });

  it('gives one contact per person when two servers take the same people at once', async () => {
    const schema = await openSchema();
    // No second attempts: the locks alone keep the servers out of each other's way.
    const [first, second] = [
      await openServer(schema, { maxAttempts: 1 }),
      await openServer(schema, { maxAttempts: 1 }),
    ];
    const people = Array.from({ length: 24 }, (_, index) => index);
    // Each person: a device seen first on one server, their login on the other, a retry on both.
    const batchesOf = (server: 0 | 1) =>
      people.map((person) => [
        server === 0
          ? { type: 'track', event: 'Viewed', anonymousId: `a${person}`, messageId: `view-${person}` }
          : {
              type: 'identify',
              userId: `u${person}`,
              traits: { email: `p${person}@example.com` },
              messageId: `id-${person}`,
            },
        { type: 'identify', userId: `u${person}`, anonymousId: `a${person}`, messageId: `login-${person}` },
        { type: 'track', event: 'Paid', traits: {}, userId: `u${person}`, messageId: `paid-${person}-${server}` },
      ]);
    const outcomes = await Promise.all(
      ([0, 1] as const).flatMap((server) =>
        batchesOf(server).map((batch) => (server === 0 ? first : second).insertEvents(prepared(batch))),
      ),
    );
    const graph = await postgresGraph(schema.pool);
    expect(graph.contacts).toHaveLength(people.length);
    for (const person of people) {
      const contact = graph.contacts.find((view) => view.identifiers.includes(`user_id:u${person}`));
      expect(contact, `person ${person}`).toMatchObject({
        identifiers: [`anonymous_id:a${person}`, `email:p${person}@example.com`, `user_id:u${person}`],
        eventCount: 5,
      });
    }
    // The login went to both servers: stored once, the other answered as a duplicate.
    const counted = outcomes.flat();
    expect(counted.filter((outcome) => outcome === 'inserted')).toHaveLength(people.length * 5);
    expect(counted.filter((outcome) => outcome === 'duplicate')).toHaveLength(people.length);
    expect(graph.events).toBe(people.length * 5);
    expect(graph.changeTypes.filter((type) => type === 'event.stored')).toHaveLength(people.length * 5);
    expect(graph.changeTypes.filter((type) => type === 'contact.created')).toHaveLength(people.length);

    // Then each person's events by their device on one server and by their login on the other:
    // two transactions on one profile through different identifiers, none of whose counts is lost.
    const tracks = (server: 0 | 1, round: number) =>
      people.map((person) => [
        {
          type: 'track',
          event: 'Viewed',
          ...(server === 0 ? { anonymousId: `a${person}` } : { userId: `u${person}` }),
          messageId: `track-${person}-${server}-${round}`,
        },
      ]);
    await Promise.all(
      [0, 1, 2, 3].flatMap((round) =>
        ([0, 1] as const).flatMap((server) =>
          tracks(server, round).map((batch) => (server === 0 ? first : second).insertEvents(prepared(batch))),
        ),
      ),
    );
    const after = await postgresGraph(schema.pool);
    expect(after.contacts.map((contact) => contact.eventCount)).toEqual(people.map(() => 5 + 8));
  });

  it('starts a batch again when a profile it read was merged by another server meanwhile', async () => {
    const schema = await openSchema();
    const server = await openServer(schema);
    await server.insertEvents(prepared([{ type: 'identify', userId: 'u1', messageId: 'm1' }]));
    clock.time += 1000;
    await server.insertEvents(
      prepared([{ type: 'identify', anonymousId: 'a1', traits: { email: 'ada@example.com' }, messageId: 'm2' }]),
    );
    const ids = async () =>
      Object.fromEntries(
        (await schema.pool.query<{ type: string; profile_id: number }>('SELECT * FROM identifiers')).rows.map((row) => [
          row.type,
          row.profile_id,
        ]),
      );
    const before = await ids();
    expect(before.anonymous_id).toBe(before.email);
    // Another server merges the a1 profile into u1's through the email (which the batch below does
    // not name, so it does not wait on that server's locks), and has not committed yet.
    const merging = await schema.pool.connect();
    await merging.query('BEGIN');
    await merging.query('SELECT id FROM profiles WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE', [
      [before.user_id, before.anonymous_id],
    ]);
    await merging.query('UPDATE identifiers SET profile_id = $1 WHERE profile_id = $2', [
      before.user_id,
      before.anonymous_id,
    ]);
    await merging.query('UPDATE profiles SET merged_into = $1 WHERE id = $2', [before.user_id, before.anonymous_id]);
    const storing = server.insertEvents(
      prepared([{ type: 'track', event: 'Viewed', anonymousId: 'a1', messageId: 'm4' }]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await merging.query('COMMIT');
    merging.release();
    expect(await storing).toEqual(['inserted']);
    const { rows } = await schema.pool.query<{ profile_id: number }>(
      "SELECT profile_id FROM events WHERE message_id = 'm4'",
    );
    expect(rows[0]?.profile_id).toBe(before.user_id);
    const graph = await postgresGraph(schema.pool);
    expect(graph.contacts).toMatchObject([
      { identifiers: ['anonymous_id:a1', 'email:ada@example.com', 'user_id:u1'], eventCount: 2 },
    ]);
  });
});
