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
 *    the ceiling. `BENCH_WORKLOADS=plain` runs one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/storage/open-database.js';
import { benchAdminToken, expectedProfilesOf, totalEventsOf, type Workload } from './bench-events.js';
import { startBenchServer } from './bench-server.js';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const pinning = availableParallelism() >= 2 && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const serverCpu = '0';
const loadCpu = '1';

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

const targets: Record<Workload, number> = { plain: 50, people: 30 };
const workloads = (process.env.BENCH_WORKLOADS ?? 'plain,people').split(',') as Workload[];

async function runWorkload(workload: Workload, dir: string): Promise<void> {
  const totalEvents = totalEventsOf(workload);
  console.log('');
  console.log(`workload "${workload}": ${totalEvents} events`);
  const ceiling = await runJson(serverCpu, 'bench/direct-insert.ts', [
    join(dir, `${workload}-ceiling.db`),
    '100',
    workload,
  ]);

  const dbPath = join(dir, `${workload}-server.db`);
  const server = await startBenchServer(dbPath, pinning ? ['taskset', '-c', serverCpu] : []);
  const load = await runJson(loadCpu, 'bench/load-generator.ts', [server.url, String(connections), workload]);
  const metrics = await fetch(`${server.url}/metrics`, {
    headers: { Authorization: `Bearer ${benchAdminToken}` },
  }).then((res) => res.text());
  await server.stop();

  const db = openDatabase(dbPath);
  const stored = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const profiles = db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get() as number;
  db.close();

  // The server's group commits hold several requests; the ceiling at that transaction size says
  // how much of what SQLite could do with the same grouping the HTTP path delivers.
  const commits = metric(metrics, 'weft_ingest_commits_total');
  const meanGroup = Math.round(metric(metrics, 'weft_ingest_committed_events_total') / commits);
  const groupCeiling = await runJson(serverCpu, 'bench/direct-insert.ts', [
    join(dir, `${workload}-ceiling-group.db`),
    String(meanGroup),
    workload,
  ]);

  const http = load.eventsPerSecond ?? 0;
  const fmt = (n: number | undefined) =>
    Math.round(n ?? 0)
      .toLocaleString('en-US')
      .padStart(7);
  const share = (ceilingRate: number | undefined) => `${((http / (ceilingRate ?? 1)) * 100).toFixed(0)}%`;
  const line = (label: string, value: string) => console.log(`${label.padEnd(70)}${value}`);
  const expectedProfiles = expectedProfilesOf(workload);
  line('ceiling: direct SQLite, plain insert, 100 rows/transaction', `${fmt(ceiling.eventsPerSecond)} events/s`);
  line(
    `ceiling: direct SQLite, plain insert, ${meanGroup} rows/transaction (server's mean commit)`,
    `${fmt(groupCeiling.eventsPerSecond)} events/s`,
  );
  line('HTTP ingest with identity resolution', `${fmt(http)} events/s`);
  line(`  share of the 100-row ceiling (target >= ${targets[workload]}%)`, share(ceiling.eventsPerSecond));
  line(`  share of the ${meanGroup}-row ceiling`, share(groupCeiling.eventsPerSecond));
  line('request latency, batch of 100', `p50 ${load.p50Ms?.toFixed(1)} ms, p99 ${load.p99Ms?.toFixed(1)} ms`);
  line('requests / non-200 / group commits', `${load.requests} / ${load.failures} / ${commits}`);
  line('stored', `${stored} of ${totalEvents} events ${stored === totalEvents ? '(all)' : '(MISSING EVENTS)'}`);
  line('profiles', `${profiles} (expected ${expectedProfiles})`);
  if (stored !== totalEvents || load.failures !== 0 || profiles !== expectedProfiles) process.exitCode = 1;
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
try {
  console.log(
    `weft ingest bench: batches of 100, ${connections} connections, ` +
      (pinning ? `server on CPU ${serverCpu}, load on CPU ${loadCpu}` : 'no CPU pinning (taskset missing or 1 CPU)'),
  );
  for (const workload of workloads) await runWorkload(workload, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
