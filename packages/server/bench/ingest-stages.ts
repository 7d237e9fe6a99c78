/**
 * pnpm bench:stages — where an event's server time goes, stage by stage, in one process (no HTTP
 * load generator competing for the core). For a workload (default `people`, also `crm`, `plain`):
 * 1. parse + validate: JSON.parse of each request body and prepareEvent of each event;
 * 2. store: the server's pipeline (privacy gate, identity step, change feed) into a fresh
 *    database, 100 events per transaction (one request's batch);
 * 3. the same store with one group of triggers or indexes dropped at a time, or the feed off:
 *    the difference is what that group costs per event;
 * 4. the minimal-schema ceiling: the events as JSON into a table keyed by messageId alone, same
 *    pragmas, 100 rows per transaction.
 * Times are CPU time (user + system) of this process, which another process on a shared machine
 * disturbs far less than wall time; the waits for fsync are not in them.
 * Variants alternate over BENCH_ROUNDS rounds (default 3); each line prints the median CPU µs/event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { defaultIngestLimits } from '../src/ingest/limits.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import { createServerPipeline } from '../src/ingest/server-pipeline.js';
import { createMetrics } from '../src/ops/metrics.js';
import type { NewEvent } from '../src/storage/event-store.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { batchesOf, type Workload } from './bench-events.js';
import { runMinimalCeiling } from './minimal-ceiling.js';

const workload = (process.argv[2] ?? process.env.BENCH_WORKLOAD ?? 'people') as Workload;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sentAt = new Date().toISOString();
// BENCH_BATCHES takes the first batches only, for a quicker look.
const allBodies = batchesOf(workload, sentAt).map((body) => JSON.stringify(body));
const bodies = allBodies.slice(0, Number(process.env.BENCH_BATCHES ?? allBodies.length));
const events = bodies.length * 100;

function parseAll(): NewEvent[] {
  const rows: NewEvent[] = [];
  const receivedAt = Date.now();
  for (const text of bodies) {
    const { batch } = JSON.parse(text) as { batch: unknown[] };
    const ctx = {
      source: 'default',
      writeKeyKind: 'server' as const,
      receivedAt,
      limits: defaultIngestLimits,
      envelope: { sentAt: Date.parse(sentAt) },
      newMessageId: () => 'unused',
    };
    for (const raw of batch) {
      const prepared = prepareEvent(raw, ctx);
      if (prepared.ok) rows.push(prepared.event);
    }
  }
  return rows;
}

/** Groups of schema objects a variant drops, by name prefix. */
const dropped: Record<string, readonly string[]> = {
  'trait value index (010, 012)': ['profile_trait_values_on_'],
  'trigram text index (014)': ['contact_text_on_'],
  'contact email and name keys (005, 018)': ['profiles_contact_keys_on_'],
  'event timeline index (004)': ['events_profile_timeline'],
  'profile list indexes (005, 011)': [
    'profiles_live_last_seen',
    'profiles_live_first_seen',
    'profiles_live_created',
    'profiles_live_email',
    'profiles_live_name',
  ],
};

function store(rows: readonly NewEvent[], dbPath: string, variant: string): number {
  const db = openDatabase(dbPath);
  for (const prefix of dropped[variant] ?? []) {
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index') AND name LIKE ? || '%'")
      .all(prefix) as { type: string; name: string }[];
    for (const { type, name } of objects) db.exec(`DROP ${type.toUpperCase()} ${name}`);
  }
  const metrics = createMetrics();
  const pipeline = createServerPipeline({ rules: DEFAULT_IDENTITY_RULES, counters: metrics });
  const { events: eventStore } = createSqliteStore(db, {
    pipeline,
    rules: DEFAULT_IDENTITY_RULES,
    now: Date.now,
    isChangeFeedOn: variant !== 'change feed',
  });
  // Each variant starts with a clean heap, so none pays for collecting another's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  // The synchronous body: insertEvents answers a promise, but its transaction has run by then.
  for (let i = 0; i < rows.length; i += 100) void eventStore.insertEvents(rows.slice(i, i + 100));
  const used = process.cpuUsage(cpu);
  db.close();
  return (used.user + used.system) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'weft-stages-'));
const variants = process.env.BENCH_VARIANTS?.split(',') ?? ['all', 'change feed', ...Object.keys(dropped)];
const timings = new Map<string, number[]>([
  ['parse + validate', []],
  ['minimal ceiling', []],
]);
for (const variant of variants) timings.set(variant, []);
console.log(`workload "${workload}": ${events} events, ${rounds} rounds, load average ${loadavg()[0]?.toFixed(2)}`);
try {
  for (let round = 0; round < rounds; round++) {
    const cpu = process.cpuUsage();
    const rows = parseAll();
    const used = process.cpuUsage(cpu);
    timings.get('parse + validate')?.push((used.user + used.system) / 1000);
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const path = join(dir, `${round}-${variants.indexOf(variant)}.db`);
      timings.get(variant)?.push(store(rows, path, variant));
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
    }
    timings.get('minimal ceiling')?.push(runMinimalCeiling(join(dir, `${round}-ceiling.db`), bodies, 100).cpuMs);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const perEvent = (name: string) => (median(timings.get(name) ?? []) * 1000) / events;
const all = perEvent('all');
const line = (label: string, value: string) => console.log(`${label.padEnd(58)}${value}`);
line(
  'parse + validate (JSON.parse, prepareEvent)',
  `${perEvent('parse + validate').toFixed(1).padStart(7)} CPU µs/event`,
);
line('store: pipeline, triggers, feed, commit (100 per tx)', `${all.toFixed(1).padStart(7)} CPU µs/event`);
for (const variant of variants.slice(1)) {
  const saved = all - perEvent(variant);
  line(`  of which ${variant}`, `${saved.toFixed(1).padStart(7)} µs/event (${((saved / all) * 100).toFixed(0)}%)`);
}
line(
  'minimal-schema ceiling (messageId, body; 100 per tx)',
  `${perEvent('minimal ceiling').toFixed(1).padStart(7)} CPU µs/event`,
);
