/**
 * pnpm bench:ingest — HTTP ingest throughput against the SQLite ceiling, in one run, for two
 * workloads: `plain` (200,000 events of 5,000 users) and `people` (100,000 distinct people, a
 * third anonymous only, the rest identifying once; identity resolution does real work).
 * 1. ceiling: the same rows, schema, pragmas and 100-row transactions written straight into SQLite
 *    with no identity resolution (a plain insert);
 * 2. the real server (identity resolution on) on a temporary database, fed the events in batches of
 *    100 by a second process over several keep-alive connections (server and load pinned to
 *    separate cores with taskset when it exists);
 * 3. checks every event is stored and the profile count, then prints events/s and latency next to
 *    the ceiling.
 *
 * Variants, compared in the same run, in alternating order, round after round (BENCH_ROUNDS):
 * - `current`: this checkout's server;
 * - `secure-delete-on`, `secure-delete-off`: the same with secure_delete on (freed pages rewritten as
 *   zeros too) or off, instead of its `fast` default, to see what zeroing freed space costs;
 * - `baseline`: the server of another checkout (BENCH_BASELINE=<its packages/server>), for a
 *   before/after on the same machine at the same time.
 * BENCH_VARIANTS=current,secure-delete-off,baseline picks them; BENCH_WORKLOADS=plain runs one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { benchAdminToken, expectedProfilesOf, totalEventsOf, type Workload } from './bench-events.js';
import { type BenchServerOptions, startBenchServer } from './bench-server.js';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const pinning = availableParallelism() >= 2 && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const serverCpu = '0';
const loadCpu = '1';

type Variant = 'current' | 'secure-delete-on' | 'secure-delete-off' | 'baseline';
const variants = (process.env.BENCH_VARIANTS ?? 'current').split(',') as Variant[];
const baselineDir = process.env.BENCH_BASELINE;
if (variants.includes('baseline') && !baselineDir) throw new Error('the baseline variant needs BENCH_BASELINE');

function serverOf(variant: Variant): BenchServerOptions {
  const pin = pinning ? ['taskset', '-c', serverCpu] : [];
  if (variant === 'baseline') return { pin, packageDir: baselineDir };
  if (variant === 'secure-delete-on' || variant === 'secure-delete-off') {
    const secureDelete = variant.slice('secure-delete-'.length);
    return { pin, entry: 'bench/server-variant-main.ts', env: { BENCH_SECURE_DELETE: secureDelete } };
  }
  return { pin };
}

function nodeCommand(cpu: string, script: string, args: string[]): [string, string[]] {
  const nodeArgs = ['--import', 'tsx', script, ...args];
  return pinning ? ['taskset', ['-c', cpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
}

function runJson(cpu: string, script: string, args: string[]): Promise<Record<string, number>> {
  const [command, commandArgs] = nodeCommand(cpu, script, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited ${code}`))));
  });
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
}

async function runServer(variant: Variant, workload: Workload, dbPath: string): Promise<Run> {
  const server = await startBenchServer(dbPath, serverOf(variant));
  const load = await runJson(loadCpu, 'bench/load-generator.ts', [server.url, String(connections), workload]);
  const metrics = await fetch(`${server.url}/metrics`, {
    headers: { Authorization: `Bearer ${benchAdminToken}` },
  }).then((res) => res.text());
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
    summary: `${load.requests} requests, ${load.failures} not 200, ${commits} commits; stored ${stored} of ${total}, profiles ${profiles} (expected ${expected})`,
  };
}

const targets: Record<Workload, number> = { plain: 50, people: 30 };
const workloads = (process.env.BENCH_WORKLOADS ?? 'plain,people').split(',') as Workload[];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(7);
const line = (label: string, value: string) => console.log(`${label.padEnd(66)}${value}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

async function runWorkload(workload: Workload, dir: string): Promise<void> {
  console.log('');
  console.log(`workload "${workload}": ${totalEventsOf(workload)} events, load average ${loadavg()[0]?.toFixed(2)}`);
  const ceiling = await runJson(serverCpu, 'bench/direct-insert.ts', [
    join(dir, `${workload}-ceiling.db`),
    '100',
    workload,
  ]);
  const ceilingRate = ceiling.eventsPerSecond ?? 1;
  line('ceiling: direct SQLite, plain insert, 100 rows/transaction', `${fmt(ceilingRate)} events/s`);

  const runs = new Map<Variant, Run[]>(variants.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so that neither variant always runs on a warmer (or busier) machine.
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const run = await runServer(variant, workload, join(dir, `${workload}-${variant}-${round}.db`));
      runs.get(variant)?.push(run);
      if (!run.isComplete) process.exitCode = 1;
      line(`  round ${round + 1}, ${variant}`, `${fmt(run.eventsPerSecond)} events/s  (${run.summary})`);
    }
  }

  const current = runs.get(variants[0] as Variant) ?? [];
  const groupCeiling = await runJson(serverCpu, 'bench/direct-insert.ts', [
    join(dir, `${workload}-ceiling-group.db`),
    String(current[0]?.meanGroup ?? 100),
    workload,
  ]);
  line(
    `ceiling: direct SQLite, plain insert, ${current[0]?.meanGroup} rows/transaction (the server's mean commit)`,
    `${fmt(groupCeiling.eventsPerSecond ?? 0)} events/s`,
  );
  for (const variant of variants) {
    const list = runs.get(variant) ?? [];
    const rate = median(list.map((run) => run.eventsPerSecond));
    const share = `${((rate / ceilingRate) * 100).toFixed(0)}% of the 100-row ceiling`;
    line(
      `HTTP ingest, ${variant} (median of ${list.length})`,
      `${fmt(rate)} events/s, ${share} (target >= ${targets[workload]}%)`,
    );
    line(
      '  request latency, batch of 100 (last round)',
      `p50 ${list.at(-1)?.p50Ms.toFixed(1)} ms, p99 ${list.at(-1)?.p99Ms.toFixed(1)} ms`,
    );
    if (variant === variants[0]) continue;
    const ratios = list.map((run, round) => run.eventsPerSecond / (current[round]?.eventsPerSecond ?? Number.NaN));
    line(
      `  ${variant} ÷ ${variants[0]}, pair by pair`,
      `${ratios.map((ratio) => ratio.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)})`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
try {
  console.log(
    `weft ingest bench: batches of 100, ${connections} connections, ${rounds} round(s) of ${variants.join(', ')}; ` +
      (pinning ? `server on CPU ${serverCpu}, load on CPU ${loadCpu}` : 'no CPU pinning (taskset missing or 1 CPU)'),
  );
  for (const workload of workloads) await runWorkload(workload, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
