/**
 * pnpm bench:pg-ingest — what ingest with identity resolution costs on PostgreSQL, beside SQLite in
 * the same run, and what the advisory locks that keep two servers from making two contacts of one
 * person cost against the other way (unique indexes and retries alone). Issue #21.
 *
 * PEOPLE people (default 6,000), each: a page as an anonymous visitor, an identify with userId,
 * email, name and plan, and an order as the known user: 3 events each, sent in batches of 100 as
 * ingest hands them to the store (no HTTP). Two layouts: `spread`, every person's first events,
 * then every second, then every third (a person's events far apart); `contended`, each person's
 * three events in three consecutive batches, which run at once (the worst case for the locks).
 * Settings, alternated over ROUNDS rounds (default 2):
 *   SQLite: one store on a file (WAL, synchronous=NORMAL as the server runs it), batches one at a time;
 *   PG 1: one store, 4 batches in flight;
 *   PG 2: two stores (two servers' pools), 2 batches in flight each, advisory locks;
 *   PG 2 no locks: the same with the unique indexes and retries alone;
 *   PG rows only, the ceiling: the same event rows inserted in one statement per batch and
 *   committed, 4 in flight, with no identity, gate or change feed (what PostgreSQL itself takes).
 * Prints events/s, p99 per batch, CPU per event of this process and of PostgreSQL's processes, and
 * retries; checks each run left one contact per person. Needs scripts/ensure-postgres.sh.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { createIdentityCounters } from '../src/identity/resolve-identity.js';
import { defaultIngestLimits } from '../src/ingest/limits.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import { createServerPipeline } from '../src/ingest/server-pipeline.js';
import { createPrivacyCounters } from '../src/privacy/privacy-counters.js';
import type { EventStore, NewEvent } from '../src/storage/event-store.js';
import { createPostgresAudienceRegistry } from '../src/storage/postgres/audiences/postgres-audience-registry.js';
import { eventColumns } from '../src/storage/postgres/ingest/postgres-ingest-writes.js';
import { migratePostgres } from '../src/storage/postgres/migrate.js';
import { createPostgresEventStore } from '../src/storage/postgres/postgres-event-store.js';
import { createPostgresPool, inTransaction, type PostgresPool } from '../src/storage/postgres/postgres-pool.js';
import { loadPostgresIdentifierHasher } from '../src/storage/postgres/postgres-server-secrets.js';
import { migrate } from '../src/storage/sqlite/migrate.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { identifiedPerson } from './bench-events.js';
import { postgresCpuMicros } from './process-cpu.js';

const url = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgres://weft:weft@127.0.0.1:5432/weft_test';
const people = Number(process.env.PEOPLE ?? 6_000);
const rounds = Number(process.env.ROUNDS ?? 2);
const batchSize = 100;
const rules = DEFAULT_IDENTITY_RULES;
const log = (line: string) => console.log(line);

type Layout = 'spread' | 'contended';
type Setting = 'SQLite' | 'PG 1' | 'PG 2' | 'PG 2 no locks' | 'PG rows only';
const settings: readonly Setting[] = ['SQLite', 'PG 1', 'PG 2', 'PG 2 no locks', 'PG rows only'];

/** The run's batches, prepared as ingest prepares them; `run` makes every run's people new. */
function batchesOf(layout: Layout, run: string): NewEvent[][] {
  const at = Date.now();
  const prepared = (body: Record<string, unknown>) => {
    const result = prepareEvent(
      { messageId: randomUUID(), timestamp: new Date(at).toISOString(), ...body },
      {
        source: 'bench',
        writeKeyKind: 'server',
        receivedAt: at,
        limits: defaultIngestLimits,
        envelope: {},
        newMessageId: randomUUID,
      },
    );
    if (!result.ok) throw new Error('not an event');
    return result.event;
  };
  const byPerson = Array.from({ length: people }, (_, person) => identifiedPerson(person, run).map(prepared));
  const batches: NewEvent[][] = [];
  const groups = people / batchSize;
  if (layout === 'spread') {
    for (let step = 0; step < 3; step++) {
      for (let group = 0; group < groups; group++) {
        batches.push(
          byPerson.slice(group * batchSize, (group + 1) * batchSize).map((events) => events[step] as NewEvent),
        );
      }
    }
  } else {
    for (let group = 0; group < groups; group++) {
      for (let step = 0; step < 3; step++) {
        batches.push(
          byPerson.slice(group * batchSize, (group + 1) * batchSize).map((events) => events[step] as NewEvent),
        );
      }
    }
  }
  return batches;
}

/** The ceiling: the batch's event rows, one statement and a commit, nothing else. */
function rowsOnly(pool: PostgresPool): EventStore {
  return {
    async insertEvents(events) {
      await inTransaction(pool, (client) =>
        client.query(
          `INSERT INTO events (source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body)
           SELECT * FROM json_to_recordset($1::json) AS r (source text, type text, message_id text, user_id text,
             anonymous_id text, event text, timestamp bigint, received_at bigint, body text)
           ON CONFLICT DO NOTHING`,
          [JSON.stringify(events.map((event) => eventColumns(event, null)))],
        ),
      );
      return events.map(() => 'inserted' as const);
    },
    ping: async () => true,
    sizeBytes: async () => 0,
    close: () => pool.end(),
  };
}

const pipeline = () =>
  createServerPipeline({ rules, counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() } });

interface Opened {
  readonly stores: EventStore[];
  readonly inFlight: number;
  contacts(): Promise<number>;
  close(): Promise<void>;
}

async function openSetting(setting: Setting, retries: { count: number }): Promise<Opened> {
  if (setting === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'weft-pg-ingest-'));
    const db = openDatabase(join(dir, 'weft.db'));
    migrate(db);
    const store = createSqliteStore(db, { pipeline: pipeline(), rules, now: Date.now }).events;
    return {
      stores: [store],
      inFlight: 1,
      contacts: async () => Number(db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get()),
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = createPostgresPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const servers = setting === 'PG 1' || setting === 'PG rows only' ? 1 : 2;
  const pools: PostgresPool[] = Array.from({ length: servers }, () =>
    createPostgresPool(url, { schema, max: servers === 1 ? 4 : 2 }),
  );
  await migratePostgres(pools[0] as PostgresPool);
  const hash = await loadPostgresIdentifierHasher(pools[0] as PostgresPool);
  const stores = pools.map((pool) =>
    setting === 'PG rows only'
      ? rowsOnly(pool)
      : createPostgresEventStore(pool, {
          pipeline: pipeline(),
          rules,
          hash,
          now: Date.now,
          audiences: createPostgresAudienceRegistry(),
          isLockingAhead: setting !== 'PG 2 no locks',
          maxAttempts: 20,
          onRetry: () => {
            retries.count++;
          },
        }),
  );
  return {
    stores,
    inFlight: servers === 1 ? 4 : 2,
    async contacts() {
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.profiles WHERE merged_into IS NULL`,
      );
      return Number(rows[0]?.n);
    },
    async close() {
      for (const store of stores) await store.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function run(setting: Setting, layout: Layout) {
  const retries = { count: 0 };
  const opened = await openSetting(setting, retries);
  const batches = batchesOf(layout, randomBytes(3).toString('hex'));
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const pgBefore = postgresCpuMicros();
  const started = performance.now();
  // Each store takes the next batch whenever one of its slots is free: the batches of a person
  // then run on both servers at once in the contended layout.
  await Promise.all(
    opened.stores.flatMap((store) =>
      Array.from({ length: opened.inFlight }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as NewEvent[];
          const at = performance.now();
          await store.insertEvents(batch);
          latencies.push(performance.now() - at);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const pgCpu = postgresCpuMicros() - pgBefore;
  const events = batches.length * batchSize;
  const contacts = await opened.contacts();
  await opened.close();
  if (setting !== 'PG rows only' && contacts !== people)
    throw new Error(`${setting} ${layout}: ${contacts} contacts for ${people} people`);
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: events / seconds,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
    nodeMicrosPerEvent: (cpu.user + cpu.system) / events,
    pgMicrosPerEvent: setting === 'SQLite' ? 0 : pgCpu / events,
    retries: retries.count,
  };
}

const { rows } = await (async () => {
  const admin = createPostgresPool(url, { max: 1 });
  try {
    return await admin.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'");
  } finally {
    await admin.end();
  }
})();
log(
  `${people} people, ${people * 3} events per run in batches of ${batchSize}; synchronous_commit=${rows[0]?.setting}; ${rounds} rounds, settings alternated`,
);
for (const layout of ['spread', 'contended'] as const) {
  log('');
  log(`### ${layout}`);
  log('');
  log('| round | setting | events/s | p99 ms per batch | node µs/event | PostgreSQL µs/event | retries | ÷ SQLite |');
  log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const ratios = new Map<Setting, number[]>();
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? settings : [...settings].reverse();
    const results = new Map<Setting, Awaited<ReturnType<typeof run>>>();
    for (const setting of order) results.set(setting, await run(setting, layout));
    const sqlite = results.get('SQLite')?.eventsPerSecond ?? Number.NaN;
    for (const setting of settings) {
      const result = results.get(setting);
      if (!result) continue;
      const ratio = result.eventsPerSecond / sqlite;
      ratios.set(setting, [...(ratios.get(setting) ?? []), ratio]);
      log(
        `| ${round} | ${setting} | ${Math.round(result.eventsPerSecond)} | ${result.p99.toFixed(1)} | ${result.nodeMicrosPerEvent.toFixed(0)} | ${result.pgMicrosPerEvent.toFixed(0)} | ${result.retries} | ${ratio.toFixed(2)} |`,
      );
    }
    const locked = results.get('PG 2')?.eventsPerSecond ?? Number.NaN;
    const unlocked = results.get('PG 2 no locks')?.eventsPerSecond ?? Number.NaN;
    log(`| ${round} | locks ÷ no locks (PG 2) | | | | | | **${(locked / unlocked).toFixed(2)}** |`);
  }
  for (const setting of settings.slice(1)) {
    const sorted = [...(ratios.get(setting) ?? [])].sort((a, b) => a - b);
    log(`| all | ${setting} ÷ SQLite, worst | | | | | | ${sorted[0]?.toFixed(2)} |`);
  }
}
