/**
 * The contacts bench's data: `count` people, each sending an identify (anonymousId, userId and
 * traits with an email: three identifiers) and a later track, written through the server's own
 * ingest code (prepareEvent, the SQLite event store and the identity step), so the profiles,
 * identifiers, contact columns and events are the rows the server itself would hold.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { defaultIngestLimits } from '../src/ingest/limits.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import { createServerPipeline } from '../src/ingest/server-pipeline.js';
import { createMetrics } from '../src/ops/metrics.js';
import type { NewEvent } from '../src/storage/event-store.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';

/** Bump when the seeded data changes, so a cached database of the old shape is not reused. */
export const seedVersion = 1;

const day = 86_400_000;
/** The seed's "now": fixed, so that a cached database and the bench's queries agree on every time. */
export const seedNow = Date.UTC(2026, 0, 1);
const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Linus'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman'];
const plans = ['free', 'starter', 'pro', 'team'];
const countries = ['GB', 'FR', 'DE', 'US', 'ES', 'IT', 'NL', 'SE'];

/** 1 in 100 people are on this plan: the bench's "about 1%" trait filter. */
export const rarePlan = 'enterprise';

/** Person n's profile, as the bench's queries need to know it. */
export function personOf(n: number, count: number, now: number) {
  // A fixed permutation spreads activity over the last 365 days, unrelated to insertion order.
  const rank = (n * 7_919 + 13) % count;
  const lastSeenAt = now - Math.floor((rank / count) * 365 * day);
  const firstName = firstNames[n % firstNames.length] as string;
  const lastName = lastNames[Math.floor(n / firstNames.length) % lastNames.length] as string;
  return {
    userId: `user-${n}`,
    anonymousId: `anon-${n}`,
    email: `${firstName}.${lastName}.${n}@example.com`.toLowerCase(),
    firstName,
    lastName,
    plan: n % 100 === 37 ? rarePlan : (plans[n % plans.length] as string),
    lastSeenAt,
    firstSeenAt: lastSeenAt - (n % 90) * day,
  };
}

function eventsOf(n: number, count: number, now: number): Record<string, unknown>[] {
  const person = personOf(n, count, now);
  const context = { library: { name: 'weft-bench', version: '1.0.0' }, locale: 'en-GB', ip: '127.0.0.1' };
  const ids = { userId: person.userId, anonymousId: person.anonymousId };
  return [
    {
      ...ids,
      type: 'identify',
      messageId: `seed-${n}-identify`,
      timestamp: new Date(person.firstSeenAt).toISOString(),
      context,
      traits: {
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        plan: person.plan,
        seats: (n % 50) + 1,
        country: countries[n % countries.length],
        newsletter: n % 3 === 0,
      },
    },
    {
      ...ids,
      type: 'track',
      messageId: `seed-${n}-track`,
      event: 'Order Completed',
      timestamp: new Date(person.lastSeenAt).toISOString(),
      context,
      properties: { orderId: `order-${n}`, total: (n % 200) + 0.99, currency: 'EUR' },
    },
  ];
}

export interface SeedOptions {
  readonly path: string;
  readonly count: number;
  /** Epoch ms the data is anchored on: lastSeenAt falls in the 365 days before it. */
  readonly now: number;
  readonly onProgress?: (done: number) => void;
}

/** Writes the seed into a new database at `path`. Returns the events per second it managed. */
export async function seedContacts(options: SeedOptions): Promise<{ events: number; seconds: number }> {
  const { path, count, now } = options;
  const db = openDatabase(path);
  // A bench seed, not acknowledged data: durability per commit would only slow it down.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  // The server's own pipeline; no change feed: a seed is what the contacts already were.
  const pipeline = createServerPipeline({ rules: DEFAULT_IDENTITY_RULES, counters: createMetrics() });
  const store = createSqliteStore(db, {
    pipeline,
    rules: DEFAULT_IDENTITY_RULES,
    now: () => now,
    isChangeFeedOn: false,
  });
  // sentAt equal to receivedAt: clock-skew correction then keeps each event's own timestamp.
  const ctx = {
    source: 'default',
    writeKeyKind: 'server' as const,
    receivedAt: now,
    limits: defaultIngestLimits,
    envelope: { sentAt: now },
    newMessageId: () => 'unused',
  };
  const peoplePerTransaction = 2_500;
  const started = performance.now();
  let events = 0;
  for (let first = 0; first < count; first += peoplePerTransaction) {
    const rows: NewEvent[] = [];
    for (let n = first; n < Math.min(count, first + peoplePerTransaction); n++) {
      for (const raw of eventsOf(n, count, now)) {
        const prepared = prepareEvent(raw, ctx);
        if (!prepared.ok) throw new Error(`seed event refused: ${JSON.stringify(prepared.problem)}`);
        rows.push(prepared.event);
      }
    }
    await store.events.insertEvents(rows);
    events += rows.length;
    options.onProgress?.(Math.min(count, first + peoplePerTransaction));
  }
  const seconds = (performance.now() - started) / 1000;
  await store.events.close();
  return { events, seconds };
}

/**
 * The path of a seeded database of `count` people, seeding it first unless a finished one is cached
 * under the OS temp folder for this seed version (or `reseed` asks for a fresh one).
 */
export async function cachedSeed(options: {
  count: number;
  reseed: boolean;
  log: (line: string) => void;
}): Promise<string> {
  const path = join(tmpdir(), `weft-bench-contacts-v${seedVersion}-${options.count}.db`);
  if (existsSync(path) && !options.reseed) {
    options.log(`seed: reusing ${path} (pass --reseed to rebuild it)`);
    return path;
  }
  // Written under another name and renamed once complete, so an interrupted seed is never reused.
  const partial = `${path}.partial`;
  for (const file of [path, partial]) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  options.log(
    `seed: ${options.count.toLocaleString('en-US')} people through the ingest pipeline and identity resolver`,
  );
  let lastLog = performance.now();
  const result = await seedContacts({
    path: partial,
    count: options.count,
    now: seedNow,
    onProgress(done) {
      if (performance.now() - lastLog < 15_000) return;
      lastLog = performance.now();
      options.log(`seed: ${done.toLocaleString('en-US')} people`);
    },
  });
  renameSync(partial, path);
  const rate = Math.round(result.events / result.seconds).toLocaleString('en-US');
  options.log(
    `seed: ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(0)} s (${rate} events/s)`,
  );
  return path;
}
