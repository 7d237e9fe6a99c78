import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import { randomBatches } from '../../testing/random-batches.js';
import type { EventStore, NewEvent } from '../event-store.js';
import { migrate } from '../sqlite/migrate.js';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database.js';
import { createSqliteStore } from '../sqlite/sqlite-store.js';
import { contractStart, newEvents } from '../store-harness.contract.js';
import { createPostgresAudienceRegistry } from './audiences/postgres-audience-registry.js';
import { createPostgresEventStore } from './postgres-event-store.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';
import { loadPostgresIdentifierHasher } from './postgres-server-secrets.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';

type Body = Record<string, unknown>;
const rules = DEFAULT_IDENTITY_RULES;
const clock = { time: contractStart };
const now = () => clock.time;
const prepared = (bodies: readonly Body[], source?: string): NewEvent[] =>
  newEvents({ clock }, bodies, source === undefined ? {} : { source });

function serverPipeline() {
  return createServerPipeline({
    rules,
    counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
  });
}

type ServerOptions = { maxAttempts?: number; maxLocksPerTransaction?: number };

/** One Weft server's event store on the test schema: a pool of its own, as a process has. */
async function postgresServer(schema: string, options: ServerOptions = {}) {
  const pool = createPostgresPool(testPostgresUrl, { schema, max: 4 });
  const hash = await loadPostgresIdentifierHasher(pool);
  return createPostgresEventStore(pool, {
    pipeline: serverPipeline(),
    rules,
    hash,
    now,
    audiences: createPostgresAudienceRegistry(),
    ...options,
  });
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
async function openServer(schema: TestSchema, options: ServerOptions = {}): Promise<EventStore> {
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
  /** The displayed email and name, as each engine's rule keeps them. */
  keys: [string, string];
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
    contact_email: string;
    contact_name: string;
  }[];
  identifiers: { type: string; value: string; profile_id: number }[];
  links: { profile_id: number; group_id: string }[];
  companies: { group_id: string; traits: string }[];
  changes: { type: string; data: string }[];
  events: { n: number }[];
}
const graphSql = {
  profiles: `SELECT id, first_seen_at, last_seen_at, event_count, merge_count, identifier_count, traits,
      contact_email, contact_name FROM profiles WHERE merged_into IS NULL`,
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
    keys: [profile.contact_email, profile.contact_name],
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
    // First a fixed case: two email identifiers, then an email trait that is no email, so the
    // displayed email is the earliest identifier (not the first in value order).
    const at = (second: number) => new Date(contractStart + second * 1000).toISOString();
    const fixed = [
      [{ type: 'identify', userId: 'u9', traits: { email: 'zed@example.com' }, timestamp: at(1), messageId: 'f1' }],
      [{ type: 'identify', userId: 'u9', traits: { email: 'amy@example.com' }, timestamp: at(2), messageId: 'f2' }],
      [{ type: 'identify', userId: 'u9', traits: { email: '' }, timestamp: at(3), messageId: 'f3' }],
    ];
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7, 8]) {
      const batches = seed === 0 ? fixed : randomBatches(seed, 30);
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
      expect(expected.contacts.length).toBeGreaterThan(seed === 0 ? 0 : 1);
      expect(await postgresGraph(schema.pool), `seed ${seed}`).toEqual(expected);
      db.close();
    }
  });

  it('leaves the same as SQLite when each batch is cut into transactions of a few locks (seeded)', async () => {
    for (const seed of [11, 12, 13]) {
      const batches = randomBatches(seed, 30);
      const db = openDatabase(':memory:');
      migrate(db);
      const sqlite = createSqliteStore(db, { pipeline: serverPipeline(), rules, now }).events;
      const schema = await openSchema();
      const server = await openServer(schema, { maxLocksPerTransaction: 4 });
      for (const batch of batches) {
        const events = prepared(batch);
        expect(await server.insertEvents(events)).toEqual(await sqlite.insertEvents(events));
      }
      const expected = sqliteGraph(db);
      expect(await postgresGraph(schema.pool), `seed ${seed}`).toEqual(expected);
      db.close();
    }
  });

  it('stores a batch that needs more advisory locks than the lock table holds', async () => {
    const schema = await openSchema();
    const server = await openServer(schema);
    const setting = async (name: string) =>
      Number((await schema.pool.query<{ value: string }>(`SELECT current_setting('${name}') AS value`)).rows[0]?.value);
    const lockTable =
      (await setting('max_locks_per_transaction')) *
      ((await setting('max_connections')) + (await setting('max_prepared_transactions')));
    // Two locks each (messageId, userId): three times what the whole table holds in one batch, as
    // one group commit of someone's flood could be.
    const people = Math.ceil((lockTable * 3) / 2);
    const bodies = Array.from({ length: people }, (_, index) => ({
      type: 'track',
      event: 'Viewed',
      userId: `u${index}`,
      messageId: `m${index}`,
    }));
    const outcomes = await server.insertEvents(prepared(bodies));
    expect(outcomes.filter((outcome) => outcome === 'inserted')).toHaveLength(people);
    const { rows } = await schema.pool.query<{ n: string }>('SELECT count(*) AS n FROM profiles');
    expect(Number(rows[0]?.n)).toBe(people);
  }, 60_000);

  it('counts what a batch did once when its transaction fails after the pipeline ran and it is tried again', async () => {
    const schema = await openSchema();
    const counters = { identity: createIdentityCounters(), privacy: createPrivacyCounters() };
    const pool = createPostgresPool(testPostgresUrl, { schema: schema.schema, max: 2 });
    let retries = 0;
    const server = createPostgresEventStore(pool, {
      pipeline: createServerPipeline({ rules, counters }),
      rules,
      hash: await loadPostgresIdentifierHasher(pool),
      now,
      audiences: createPostgresAudienceRegistry(),
      onRetry: () => retries++,
    });
    servers.push(server);
    await server.insertEvents(
      prepared([
        { type: 'identify', userId: 'u1' },
        { type: 'identify', anonymousId: 'a1' },
      ]),
    );
    // The next write to the feed fails once, as a serialization failure at commit would.
    await schema.pool.query(`
      CREATE SEQUENCE fail_once;
      CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF nextval('fail_once') = 1 THEN RAISE EXCEPTION 'try again' USING ERRCODE = '40001'; END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER fail_once BEFORE INSERT ON changes FOR EACH STATEMENT EXECUTE FUNCTION fail_once();`);
    expect(await server.insertEvents(prepared([{ type: 'identify', userId: 'u1', anonymousId: 'a1' }]))).toEqual([
      'inserted',
    ]);
    expect(retries).toBe(1);
    expect(counters.identity.merges).toBe(1);
    expect((await postgresGraph(schema.pool)).contacts).toHaveLength(1);
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
