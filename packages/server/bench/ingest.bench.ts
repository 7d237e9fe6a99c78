/**
 * pnpm bench:ingest — HTTP ingest throughput, the change feed's cost and speed, and two ceilings,
 * in one run, for three workloads: `plain` (200,000 events of 5,000 users), `people` (100,000
 * distinct people, a third anonymous only, the rest identifying once; identity resolution does real
 * work) and `crm` (50,000 new people, each identified with an email, a name and three traits at a
 * time spread over 300 days, then one track: a signup flow or a CRM import).
 * 1. ceilings: the same events written straight into SQLite, 100 rows per transaction, (a) into a
 *    table keyed by messageId alone (the minimal schema: what SQLite itself costs) and (b) into
 *    the server's schema as a plain insert (no identity, no feed);
 * 2. the real server on a temporary database, fed the events in batches of 100 by a second process
 *    over several keep-alive connections (server and load pinned to separate cores with taskset
 *    when it exists); every event and the expected profiles are checked to be stored;
 * 3. the change feed: after the last `people` round with it on, the whole feed read over
 *    GET /v1/changes (changes/s); then, on a fresh server, the lag from commit to delivery on
 *    GET /v1/changes/stream under an open-loop load of 2,000 events/s.
 *
 * Variants, compared in the same run, in alternating order, round after round (BENCH_ROUNDS,
 * default 5), workloads interleaved within each round:
 * - `current`: this checkout's server (change feed on);
 * - `feed-off`: the same, writing no change feed: feed on ÷ off is what the feed costs;
 * - `secure-delete-on`, `secure-delete-off`: secure_delete on or off instead of its `fast` default;
 * - `baseline`: the server of another checkout (BENCH_BASELINE=<its packages/server>).
 * BENCH_VARIANTS=current,feed-off (the default) picks them; BENCH_WORKLOADS=people runs one;
 * 4. long reads beside ingest (long-reads.ts): on a database holding the `crm` workload, ingest's
 *    request p99 at 1,000 events/s idle, then while the feed is read from its start and searches
 *    count thousands of contacts, back to back.
 * BENCH_LAG=0 skips the stream-lag measure, BENCH_LONG_READS=0 the long reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { benchAdminToken, expectedProfilesOf, totalEventsOf, type Workload } from './bench-events.js';
import { type BenchServerOptions, startBenchServer } from './bench-server.js';
import { type FeedRead, measureStreamLag, readWholeFeed } from './feed-measures.js';
import { startLongReads } from './long-reads.js';
import { runJson as runScript } from './run-json.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const pinning = availableParallelism() >= 2 && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const serverCpu = '0';
const loadCpu = '1';

type Variant = 'current' | 'feed-off' | 'secure-delete-on' | 'secure-delete-off' | 'baseline';
const variants = (process.env.BENCH_VARIANTS ?? 'current,feed-off').split(',') as Variant[];
const baselineDir = process.env.BENCH_BASELINE;
if (variants.includes('baseline') && !baselineDir) throw new Error('the baseline variant needs BENCH_BASELINE');

function serverOf(variant: Variant): BenchServerOptions {
  const pin = pinning ? ['taskset', '-c', serverCpu] : [];
  if (variant === 'baseline') return { pin, packageDir: baselineDir };
  if (variant === 'secure-delete-on' || variant === 'secure-delete-off') {
    const secureDelete = variant.slice('secure-delete-'.length);
    return { pin, entry: 'bench/server-variant-main.ts', env: { BENCH_SECURE_DELETE: secureDelete } };
  }
  if (variant === 'feed-off') return { pin, entry: 'bench/server-variant-main.ts', env: { BENCH_CHANGE_FEED: 'off' } };
  return { pin };
}

/** A bench script in a process of its own on `cpu` (when pinning); answers the JSON it printed. */
function runJson(cpu: string, script: string, args: string[]): Promise<Record<string, number>> {
  return runScript(script, args, pinning ? ['taskset', '-c', cpu] : []) as Promise<Record<string, number>>;
}

function metric(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

interface Run {
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanGroup: number;
  readonly isComplete: boolean;
  readonly summary: string;
  readonly feed?: FeedRead;
}

async function runServer(variant: Variant, workload: Workload, dbPath: string, readFeed: boolean): Promise<Run> {
  const server = await startBenchServer(dbPath, serverOf(variant));
  const load = await runJson(loadCpu, 'bench/load-generator.ts', [server.url, String(connections), workload]);
  const metrics = await fetch(`${server.url}/metrics`, {
    headers: { Authorization: `Bearer ${benchAdminToken}` },
  }).then((res) => res.text());
  const feed = readFeed ? await readWholeFeed(server.url) : undefined;
  await server.stop();

  const db = openDatabase(dbPath);
  const stored = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const profiles = db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get() as number;
  db.close();
  const total = totalEventsOf(workload);
  const expected = expectedProfilesOf(workload);
  const commits = metric(metrics, 'weft_ingest_commits_total');
  const isComplete = stored === total && load.failures === 0 && profiles === expected;
  return {
    eventsPerSecond: load.eventsPerSecond ?? 0,
    p50Ms: load.p50Ms ?? 0,
    p99Ms: load.p99Ms ?? 0,
    meanGroup: Math.round(metric(metrics, 'weft_ingest_committed_events_total') / commits),
    isComplete,
    feed,
    summary: `${load.requests} requests, ${load.failures} not 200, ${commits} commits; stored ${stored} of ${total}, profiles ${profiles} of ${expected}`,
  };
}

const workloads = (process.env.BENCH_WORKLOADS ?? 'plain,people,crm').split(',') as Workload[];
/** Targets on the server's-schema ceiling (plain insert, 100 rows/transaction), kept from before the feed. */
const schemaTargets: Record<Workload, number | undefined> = { plain: 50, people: 30, crm: undefined };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(7);
const line = (label: string, value: string) => console.log(`${label.padEnd(70)}${value}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;

async function ceilings(workload: Workload, dir: string): Promise<{ minimal: number; schema: number }> {
  const minimal = await runJson(serverCpu, 'bench/minimal-ceiling-main.ts', [
    join(dir, `${workload}-min.db`),
    workload,
  ]);
  const schema = await runJson(serverCpu, 'bench/direct-insert.ts', [
    join(dir, `${workload}-schema.db`),
    '100',
    workload,
  ]);
  return { minimal: minimal.eventsPerSecond ?? 1, schema: schema.eventsPerSecond ?? 1 };
}

async function streamLag(dir: string): Promise<void> {
  const server = await startBenchServer(join(dir, 'lag.db'), serverOf('current'));
  try {
    const lag = await measureStreamLag(
      server.url,
      () => runJson(loadCpu, 'bench/feed-lag-load.ts', [server.url, '2000', '15']),
      (load) => (load.events ?? 0) - (load.failures ?? 0),
    );
    line(
      'change stream, 2,000 events/s for 15 s: lag commit -> SSE delivery',
      `p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms (target p99 <= 100 ms)`,
    );
    line(
      '  delivered',
      `${lag.delivered} changes; ${lag.eventsStored} event.stored of ${lag.load.events} events sent, ${lag.load.failures} not 200`,
    );
    if (lag.eventsStored !== (lag.load.events ?? 0) - (lag.load.failures ?? 0)) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

async function longReads(dir: string): Promise<void> {
  const server = await startBenchServer(join(dir, 'long-reads.db'), serverOf('current'));
  try {
    await runJson(loadCpu, 'bench/load-generator.ts', [server.url, String(connections), 'crm']);
    const steady = (prefix: string) => runJson(loadCpu, 'bench/feed-lag-load.ts', [server.url, '1000', '15', prefix]);
    const idleBefore = await steady('idle-before');
    const reads = startLongReads(server.url);
    const busy = await steady('busy');
    await reads.stop();
    const idleAfter = await steady('idle-after');
    const idleP99 = Math.max(idleBefore.p99Ms ?? 0, idleAfter.p99Ms ?? 0);
    line(
      'long reads: ingest p99 at 1,000 events/s, idle (before, after)',
      `${idleBefore.p99Ms?.toFixed(1)} ms, ${idleAfter.p99Ms?.toFixed(1)} ms (p50 ${idleBefore.p50Ms?.toFixed(1)}, ${idleAfter.p50Ms?.toFixed(1)})`,
    );
    line(
      `  while reading the whole feed ${reads.feedReads}× and searching ${reads.searches}×`,
      `p99 ${busy.p99Ms?.toFixed(1)} ms (p50 ${busy.p50Ms?.toFixed(1)}), ${((busy.p99Ms ?? 0) / idleP99).toFixed(2)}× the worse idle p99 (target <= 2)`,
    );
    const failures = (idleBefore.failures ?? 0) + (busy.failures ?? 0) + (idleAfter.failures ?? 0);
    if (failures > 0) {
      line('  not 200', String(failures));
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
try {
  console.log(
    `weft ingest bench: batches of 100, ${connections} connections, ${rounds} round(s) of ${variants.join(', ')}; ` +
      (pinning ? `server on CPU ${serverCpu}, load on CPU ${loadCpu}` : 'no CPU pinning (taskset missing or 1 CPU)') +
      `; load average ${loadavg()[0]?.toFixed(2)}`,
  );
  const limits = new Map<Workload, { minimal: number; schema: number }>();
  for (const workload of workloads) {
    const ceiling = await ceilings(workload, dir);
    limits.set(workload, ceiling);
    line(`${workload}: ceiling, minimal schema (messageId, body), 100 rows/tx`, `${fmt(ceiling.minimal)} events/s`);
    line(`${workload}: ceiling, server schema, plain insert, 100 rows/tx`, `${fmt(ceiling.schema)} events/s`);
  }

  const runs = new Map<string, Run[]>();
  const key = (workload: Workload, variant: Variant) => `${workload}/${variant}`;
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so that neither variant always runs on a warmer (or busier) machine.
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const workload of workloads) {
      for (const variant of order) {
        const readFeed = workload === 'people' && variant === 'current' && round === rounds - 1;
        const run = await runServer(variant, workload, join(dir, `${workload}-${variant}-${round}.db`), readFeed);
        rmSync(join(dir, `${workload}-${variant}-${round}.db`), { force: true });
        const list = runs.get(key(workload, variant)) ?? [];
        list.push(run);
        runs.set(key(workload, variant), list);
        if (!run.isComplete) process.exitCode = 1;
        line(`  round ${round + 1}, ${workload}, ${variant}`, `${fmt(run.eventsPerSecond)} events/s  (${run.summary})`);
      }
    }
  }

  console.log('');
  const first = variants[0] as Variant;
  for (const workload of workloads) {
    const { minimal, schema } = limits.get(workload) ?? { minimal: 1, schema: 1 };
    for (const variant of variants) {
      const list = runs.get(key(workload, variant)) ?? [];
      const rate = median(list.map((run) => run.eventsPerSecond));
      const target = schemaTargets[workload];
      line(
        `${workload}, ${variant} (median of ${list.length})`,
        `${fmt(rate)} events/s: ${pct(rate, minimal)} of the minimal ceiling, ${pct(rate, schema)} of the schema ceiling` +
          (target ? ` (target >= ${target}%)` : ''),
      );
      line(
        '  request latency, batch of 100, median of rounds',
        `p50 ${median(list.map((run) => run.p50Ms)).toFixed(1)} ms, p99 ${median(list.map((run) => run.p99Ms)).toFixed(1)} ms, mean commit ${list[0]?.meanGroup} events`,
      );
      if (variant === first) continue;
      const ratios = (runs.get(key(workload, first)) ?? []).map(
        (run, round) => run.eventsPerSecond / (list[round]?.eventsPerSecond ?? Number.NaN),
      );
      line(
        `  ${first} ÷ ${variant}, pair by pair`,
        `${ratios.map((ratio) => ratio.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}, worst ${Math.min(...ratios).toFixed(3)})`,
      );
    }
  }
  const people = runs.get(key('people', first)) ?? [];
  const crm = runs.get(key('crm', first)) ?? [];
  if (people.length > 0 && crm.length > 0) {
    const ratios = crm.map((run, round) => run.eventsPerSecond / (people[round]?.eventsPerSecond ?? Number.NaN));
    line(
      `crm ÷ people (${first}), round by round`,
      `${ratios.map((ratio) => ratio.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}, worst ${Math.min(...ratios).toFixed(3)}; target >= 0.6)`,
    );
  }
  const feed = people.at(-1)?.feed;
  if (feed) {
    line(
      'change feed read, GET /v1/changes?limit=1000 from the start',
      `${fmt(feed.changesPerSecond)} changes/s (${feed.changes} changes in ${feed.seconds.toFixed(1)} s)`,
    );
  }
  if (process.env.BENCH_LAG !== '0') await streamLag(dir);
  if (process.env.BENCH_LONG_READS !== '0') await longReads(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
