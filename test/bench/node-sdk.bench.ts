// pnpm bench:node — @weft/node against @segment/analytics-node, each client in a process of its
// own, alternating (Segment, Weft, Segment, Weft…), sending the same bursts of track calls to a
// minimal local sink (batch-sink.ts: reads, counts, answers 200), so the client is what is measured.
// Configurations: each client at its defaults; both at flushAt 100 with the same request
// concurrency. Bursts of 50,000 and 200,000 calls. Then, as a second line, the same burst
// against the real Weft server (a child process on a temporary database).
// Figures per run: events/s (events received, from the first call to the end of closeAndFlush), CPU per event, peak RSS above the
// RSS at start, track()'s median time per call; each printed with Weft ÷ Segment.
// BENCH_BURSTS=50000,200000 BENCH_ROUNDS=2 BENCH_SERVER=1 change what runs.
// Each client runs from its build (the script builds @weft/node and @weft/core first), as an app
// runs it from npm: through tsx, from source, Weft's client was 10–20 % slower (tsx keeps each
// function's name with a helper call, even for closures made per call).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULTS } from '@weft/node';
import { openDatabase } from '@weft/server';
import { startServerProcess, testWriteKey } from '../support/server-process.js';
import { startBatchSink } from './batch-sink.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const client = fileURLToPath(new URL('./node-sdk-client.ts', import.meta.url));
const builtPackagesTsconfig = fileURLToPath(new URL('./built-packages.tsconfig.json', import.meta.url));
const bursts = (process.env.BENCH_BURSTS ?? '50000,200000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const withServer = process.env.BENCH_SERVER !== '0';

interface Figures {
  lib: string;
  count: number;
  totalMs: number;
  cpuMs: number;
  peakRssAboveStartMb: number;
  trackMedianUs: number;
  dropped: number;
  received: number;
}

interface Setup {
  name: string;
  env: Record<string, string>;
}

const setups: Setup[] = [
  { name: 'defaults', env: {} },
  // Segment sends every batch as it fills, with no limit on requests in flight: both get ours.
  {
    name: `flushAt 100, ${DEFAULTS.maxConcurrentRequests} requests at a time`,
    env: { FLUSH_AT: '100', CONCURRENCY: String(DEFAULTS.maxConcurrentRequests) },
  },
];

let runNumber = 0;
async function runClient(lib: string, count: number, host: string, env: Record<string, string>) {
  const tag = `${lib}${runNumber++}`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', client], {
    cwd: repoRoot,
    timeout: 1_200_000,
    maxBuffer: 1 << 24,
    env: {
      ...process.env,
      ...env,
      // The harness is TypeScript; the clients come from their builds (no tsconfig `paths`).
      TSX_TSCONFIG_PATH: builtPackagesTsconfig,
      LIB: lib,
      COUNT: String(count),
      RUN: tag,
      HOST: host,
      WRITE_KEY: testWriteKey,
    },
  });
  return { tag, figures: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Omit<Figures, 'received'> };
}

// Events the sink (or server) received per second: an event dropped from a full queue is not sent.
const perSecond = (f: Figures) => (f.received / f.totalMs) * 1000;
const cpuPerEventUs = (f: Figures) => (f.cpuMs / f.count) * 1000;
const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One row per pair: Weft's figures, Segment's, and the ratio in the direction of each target. */
function printPair(label: string, weft: Figures, segment: Figures): void {
  const speed = perSecond(weft) / perSecond(segment);
  const cpu = cpuPerEventUs(weft) / cpuPerEventUs(segment);
  const rss = weft.peakRssAboveStartMb / segment.peakRssAboveStartMb;
  console.log(
    `| ${label} | ${fmt(perSecond(weft))} / ${fmt(perSecond(segment))} = **${speed.toFixed(1)}×** | ` +
      `${fmt(cpuPerEventUs(weft), 1)} / ${fmt(cpuPerEventUs(segment), 1)} = **${cpu.toFixed(2)}** | ` +
      `${fmt(weft.peakRssAboveStartMb)} / ${fmt(segment.peakRssAboveStartMb)} = **${rss.toFixed(2)}** | ` +
      `${fmt(weft.trackMedianUs, 2)} / ${fmt(segment.trackMedianUs, 2)} | ` +
      `${fmt(weft.received)} + ${fmt(weft.dropped)} dropped / ${fmt(segment.received)} of ${fmt(weft.count)} |`,
  );
}

const header = () => {
  console.log(
    '| run | events/s, Weft / Segment (target ≥ 10× defaults, ≥ 5× flushAt 100) | CPU µs per event (≤ 0.20) | peak RSS above start, MB (≤ 0.25) | track() median µs (Weft ≤ 5) | events received |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
};

const sink = await startBatchSink();
const worst = { speed: Infinity, cpu: 0, rss: 0, median: 0 };
console.log(`node ${process.version}; ${rounds} rounds, Segment and Weft alternating; sink: minimal local HTTP`);
console.log('');
header();
try {
  for (const count of bursts) {
    for (const setup of setups) {
      for (let round = 0; round < rounds; round++) {
        const pair: Partial<Record<'segment' | 'weft', Figures>> = {};
        // Alternate which client goes first, so neither always meets a warmer machine.
        const order = round % 2 === 0 ? (['segment', 'weft'] as const) : (['weft', 'segment'] as const);
        for (const lib of order) {
          try {
            const { tag, figures } = await runClient(lib, count, sink.url, setup.env);
            pair[lib] = { ...figures, received: sink.countFor(tag) };
          } catch (error) {
            // Segment's client has run out of heap on large bursts: say so and go on.
            console.log(`| ${fmt(count)} calls, ${setup.name}: ${lib} failed: ${String(error).split('\n')[0]} |`);
          }
        }
        if (!pair.weft || !pair.segment) continue;
        const { weft, segment } = pair as Record<'segment' | 'weft', Figures>;
        printPair(`${fmt(count)} calls, ${setup.name}, round ${round + 1}`, weft, segment);
        worst.speed = Math.min(worst.speed, perSecond(weft) / perSecond(segment));
        worst.cpu = Math.max(worst.cpu, cpuPerEventUs(weft) / cpuPerEventUs(segment));
        worst.rss = Math.max(worst.rss, weft.peakRssAboveStartMb / segment.peakRssAboveStartMb);
        worst.median = Math.max(worst.median, weft.trackMedianUs);
        if (weft.received + weft.dropped !== count) {
          console.error(`weft: ${count - weft.received - weft.dropped} events unaccounted for`);
          process.exitCode = 1;
        }
      }
    }
  }
  console.log('');
  console.log(
    `worst pair: ${worst.speed.toFixed(1)}× events/s, CPU ${worst.cpu.toFixed(2)}, RSS ${worst.rss.toFixed(2)}, track() median ${worst.median.toFixed(2)} µs`,
  );
} finally {
  await sink.close();
}

if (withServer) {
  // The second line: the same burst against the real Weft server, which now bounds the speed.
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-node-'));
  const dbPath = join(dir, 'weft.db');
  const server = await startServerProcess(dbPath);
  try {
    console.log('');
    console.log('against the Weft server (SQLite, synchronous=FULL), defaults:');
    header();
    const count = bursts[0] ?? 50_000;
    const pair: Partial<Record<'segment' | 'weft', Figures>> = {};
    for (const lib of ['segment', 'weft'] as const) {
      const { tag, figures } = await runClient(lib, count, server.url, {});
      const db = openDatabase(dbPath);
      // Stored once each: the server's own count of the run's distinct messageIds.
      const stored = db
        .prepare("SELECT count(DISTINCT message_id) FROM events WHERE user_id GLOB ? || '-user-*'")
        .pluck()
        .get(tag) as number;
      db.close();
      pair[lib] = { ...figures, received: stored };
    }
    printPair(`${fmt(count)} calls, defaults, Weft server`, pair.weft as Figures, pair.segment as Figures);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
