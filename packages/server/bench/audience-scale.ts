/**
 * The two bulk jobs of audiences, in process on a temporary database filled straight through SQL
 * (what ingest would have left, without spending minutes on ingest):
 * - one sweep over `contacts` contacts all due at once, with the 50 bench audiences and 20 computed
 *   traits defined;
 * - the backfill of one new audience over `events` stored events;
 * - `fill` alone: the same stored events, for a server to open (ingest beside a backfill).
 * Prints JSON.
 */
import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { createIngestPipeline } from '../src/ingest/pipeline.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { benchAudienceRules, benchComputedTraits } from './audience-rules.js';

const [dbPath, job, sizeArg] = process.argv.slice(2);
if (!dbPath || !['sweep', 'backfill', 'fill'].includes(job ?? '')) {
  throw new Error('usage: audience-scale.ts <db> sweep|backfill|fill <n>');
}
const size = Number(sizeArg ?? 1_000_000);
const db = openDatabase(dbPath, { secureDelete: 'fast' });
const now = Date.now();
const store = createSqliteStore(db, {
  pipeline: createIngestPipeline({ gates: [], steps: [] }),
  rules: DEFAULT_IDENTITY_RULES,
  now: () => now,
});

/** Profiles 1..n, a third without an email, in one statement. */
function fillProfiles(n: number): void {
  db.prepare(
    `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
     INSERT INTO profiles (id, public_id, first_seen_at, last_seen_at, event_count, traits, created_at, updated_at, contact_email)
     SELECT i, 'ct_bench_' || i, @now - 86400000, @now - (i % 10) * 86400000, 1 + i % 20,
       CASE WHEN i % 3 = 0 THEN '{}' ELSE json_object('email', 'p' || i || '@example.com') END, @now, @now,
       CASE WHEN i % 3 = 0 THEN '' ELSE 'p' || i || '@example.com' END
     FROM k`,
  ).run(n, { now });
}

async function defineBenchAudiences(): Promise<void> {
  for (const { name, calculation } of benchComputedTraits()) await store.computedTraits.create({ name, calculation });
  const ids = new Map<string, string>();
  for (const { name, rule } of benchAudienceRules()) {
    const audience = await store.audiences.create({ name, rule: rule((other) => ids.get(other) as string) });
    ids.set(name, audience.id);
  }
  while (await store.audiences.backfillStep(2_000)) {}
}

let fillSeconds = 0;
const changesOf = () => db.prepare("SELECT count(*) FROM changes WHERE type LIKE 'audience.%'").pluck().get() as number;

if (job === 'sweep') {
  await defineBenchAudiences();
  const fillStarted = performance.now();
  fillProfiles(size);
  db.prepare(
    "INSERT INTO audience_profiles (profile_id, hours, members, due_at) SELECT id, '{}', '{}', ? FROM profiles",
  ).run(now - 1);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  /** Evaluates every due contact, 200 per step; answers what it took and did. */
  async function sweepAll() {
    const before = changesOf();
    const started = performance.now();
    let evaluated = 0;
    let steps = 0;
    let longestStepMs = 0;
    for (;;) {
      const stepStarted = performance.now();
      const n = await store.audiences.sweepStep(200);
      longestStepMs = Math.max(longestStepMs, performance.now() - stepStarted);
      evaluated += n;
      steps += 1;
      if (n < 200) break;
    }
    const seconds = (performance.now() - started) / 1000;
    return { evaluated, seconds, perSecond: evaluated / seconds, steps, longestStepMs, changes: changesOf() - before };
  }
  // First: every contact enters the audiences it matches. Then, all due again, nothing changes.
  const first = await sweepAll();
  db.prepare('UPDATE audience_profiles SET due_at = ?').run(now - 1);
  const settled = await sweepAll();
  const members = db.prepare('SELECT count(*) FROM audience_members').pluck().get() as number;
  process.stdout.write(`${JSON.stringify({ contacts: size, fillSeconds, members, first, settled })}\n`);
} else {
  fillEvents();
  if (job === 'backfill') await backfillOne();
  else process.stdout.write(`${JSON.stringify({ events: size })}\n`);
}

function fillEvents(): void {
  const profiles = Math.max(1, Math.floor(size / 10));
  fillProfiles(profiles);
  const fillStarted = performance.now();
  // Half Order Completed (total 0-99), half Page: each profile 10 events over the last 60 days.
  db.prepare(
    `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
     INSERT INTO events (source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body, profile_id)
     SELECT 'default', CASE WHEN i % 2 = 0 THEN 'track' ELSE 'page' END, 'bf-' || i, 'u' || (i % @profiles), NULL,
       CASE WHEN i % 2 = 0 THEN 'Order Completed' ELSE 'Home' END, @now - (i % 60) * 86400000, @now,
       json_object('type', 'track', 'event', 'Order Completed', 'properties', json_object('total', i % 100)),
       1 + i % @profiles
     FROM k`,
  ).run(size, { now, profiles });
  fillSeconds = (performance.now() - fillStarted) / 1000;
}

async function backfillOne(): Promise<void> {
  const profiles = Math.max(1, Math.floor(size / 10));
  const started = performance.now();
  const audience = await store.audiences.create({
    name: 'big spenders, last 30 days',
    rule: {
      event: 'Order Completed',
      where: [{ property: 'total', op: 'gte', value: 50 }],
      within: { days: 30 },
      count: { op: 'gte', n: 2 },
    },
  });
  let steps = 0;
  let longestStepMs = 0;
  let countedAt = 0;
  for (;;) {
    const stepStarted = performance.now();
    const more = await store.audiences.backfillStep(5_000);
    longestStepMs = Math.max(longestStepMs, performance.now() - stepStarted);
    steps += 1;
    if (countedAt === 0 && (await store.audiences.get(audience.id))?.phase !== 'backfilling') {
      countedAt = performance.now();
    }
    if (!more) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const countSeconds = (countedAt - started) / 1000;
  const members = (await store.audiences.get(audience.id))?.memberCount ?? 0;
  process.stdout.write(
    `${JSON.stringify({ events: size, profiles, fillSeconds, seconds, countSeconds, eventsPerSecond: size / countSeconds, steps, longestStepMs, members })}\n`,
  );
}
db.close();
