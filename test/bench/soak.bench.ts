// pnpm bench:soak [--minutes N] [--rate events/s] [--reads reads/s] — the real server (a child
// process on 127.0.0.1, temporary database) under steady mixed load for a set time: events from
// many simulated people who turn from anonymous to identified, and contact reads (by ref, list,
// search). One line per interval with throughput, p99 latencies, the server's RSS and the database
// size; at the end, the last interval against the first, so a leak or a slowdown shows as a trend.
// Always stops itself: the load ends at the set time, and the server is killed whatever happens.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuth,
  fetchMetrics,
  killStrayServers,
  startServerProcess,
  testAdminToken,
  testWriteKey,
} from '../support/server-process.js';
import { readSoakOptions } from './soak-options.js';
import { databaseMb, residentMb } from './soak-probes.js';
import { createContactReads } from './soak-reads.js';
import { createIntervalRecorder, formatInterval, type IntervalFigures, intervalHeader, trendOf } from './soak-stats.js';
import { createSimulatedUsers } from './soak-users.js';

const options = readSoakOptions(process.argv.slice(2), process.env);
if ('error' in options) {
  process.stderr.write(`bench:soak: ${options.error}\n`);
  process.exit(2);
}

const durationMs = options.minutes * 60_000;
const tickMs = 100;
// Past this many requests waiting for an answer the load generator stops adding more and counts them as missed.
const maxInFlight = 256;
const dir = mkdtempSync(join(tmpdir(), 'weft-soak-'));
const dbPath = join(dir, 'weft.db');
// However the run ends (Ctrl-C, an error, a hung request), the server and its files do not outlive it.
process.once('exit', () => {
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
});
const server = await startServerProcess(dbPath);
const pid = server.child.pid ?? 0;

const hardStop = setTimeout(() => abort('the run overran its time by 2 minutes'), durationMs + 120_000);
hardStop.unref();
process.once('SIGINT', () => abort('interrupted'));
process.once('SIGTERM', () => abort('terminated'));

function abort(reason: string): never {
  process.stderr.write(`bench:soak: ${reason}; killing the server\n`);
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}

const users = createSimulatedUsers({ activeUsers: options.activeUsers, runId: randomUUID().slice(0, 8) });
const reads = createContactReads({ url: server.url, adminToken: testAdminToken, someRef: () => users.someRef() });
const recorder = createIntervalRecorder();
const auth = basicAuth(testWriteKey);
let inFlight = 0;
let missedRequests = 0;
let acknowledgedEvents = 0;
let notFoundReads = 0;
let networkErrors = 0;

async function sendBatch(size: number): Promise<void> {
  const batch = Array.from({ length: size }, () => users.nextEvent());
  const started = performance.now();
  let ok = false;
  try {
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    });
    const answer = (await response.json()) as { accepted?: number; deduplicated?: number; rejected?: unknown[] };
    ok = response.status === 200 && answer.rejected?.length === 0;
    if (ok) acknowledgedEvents += size;
  } catch {
    networkErrors += 1;
  }
  recorder.ingest(performance.now() - started, size, ok);
}

async function sendRead(): Promise<void> {
  const started = performance.now();
  let ok = false;
  try {
    const status = await reads.next();
    if (status === 404) notFoundReads += 1;
    // A person whose first events are still in flight has no contact yet: 404 is a right answer.
    ok = status === 200 || status === 404;
  } catch {
    networkErrors += 1;
  }
  recorder.read(performance.now() - started, ok);
}

function track(request: Promise<void>): void {
  inFlight += 1;
  void request.finally(() => (inFlight -= 1));
}

process.stdout.write(
  `bench:soak: ${options.minutes} min, ${options.eventsPerSecond} events/s in batches of ${options.batchSize}, ` +
    `${options.readsPerSecond} contact reads/s, ${options.activeUsers} people at a time, ` +
    `a line every ${options.intervalSeconds} s; server pid ${pid} on ${server.url}\n${intervalHeader}\n`,
);

const intervals: IntervalFigures[] = [];
const start = performance.now();
// Batches and reads owed by now, from the time elapsed: a timer firing late (a busy machine) sends
// the backlog on its next turn instead of lowering the rate.
let batchesSent = 0;
let readsSent = 0;
let intervalStart = start;

function closeInterval(now: number): void {
  const figures = recorder.close({
    endSeconds: (now - start) / 1000,
    seconds: (now - intervalStart) / 1000,
    rssMb: residentMb(pid),
    dbMb: databaseMb(dbPath),
  });
  intervals.push(figures);
  process.stdout.write(`${formatInterval(figures)}\n`);
  intervalStart = now;
}

await new Promise<void>((resolve) => {
  const ticker = setInterval(() => {
    const now = performance.now();
    const elapsedSeconds = Math.min(now - start, durationMs) / 1000;
    const batchesOwed = Math.floor((options.eventsPerSecond * elapsedSeconds) / options.batchSize);
    for (; batchesSent < batchesOwed; batchesSent++) {
      if (inFlight >= maxInFlight) missedRequests += 1;
      else track(sendBatch(options.batchSize));
    }
    for (const readsOwed = Math.floor(options.readsPerSecond * elapsedSeconds); readsSent < readsOwed; readsSent++) {
      if (inFlight >= maxInFlight) missedRequests += 1;
      else track(sendRead());
    }
    if (now - start >= durationMs) {
      clearInterval(ticker);
      resolve();
      return;
    }
    if (now - intervalStart >= options.intervalSeconds * 1000) closeInterval(now);
  }, tickMs);
});

// Let the requests already sent finish (bounded), then compare what the server stored with what it acknowledged.
const drainDeadline = performance.now() + 30_000;
while (inFlight > 0 && performance.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
// The last interval ends when its answers are in, so that it counts the events it sent.
closeInterval(performance.now());
const metrics = await fetchMetrics(server.url);
const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? Number.NaN);
const stored = counter('weft_events_accepted_total');
const finalRss = residentMb(pid);
const finalDb = databaseMb(dbPath);

server.child.kill('SIGTERM');
const exited = await Promise.race([
  server.exited,
  new Promise((resolve) => setTimeout(() => resolve(undefined), 10_000)),
]);
if (!exited) killStrayServers();
rmSync(dir, { recursive: true, force: true });

const trend = trendOf(intervals);
const lines = [
  '',
  `summary: ${intervals.length} intervals; ${acknowledgedEvents.toLocaleString('en-US')} events acknowledged, ` +
    `${stored.toLocaleString('en-US')} stored by the server's count; ${users.peopleSeen.toLocaleString('en-US')} people`,
  `  errors: ${intervals.reduce((sum, f) => sum + f.errors, 0)} (network ${networkErrors}); ` +
    `requests not sent because ${maxInFlight} were waiting: ${missedRequests}; reads answered 404: ${notFoundReads}`,
  `  at the end: RSS ${finalRss.toFixed(1)} MB, db+wal ${finalDb.toFixed(1)} MB`,
  trend
    ? `  last interval ÷ first: ${Object.entries(trend)
        .map(([name, ratio]) => `${name} ${ratio}`)
        .join(', ')}`
    : '  (one interval only: no trend)',
];
process.stdout.write(`${lines.join('\n')}\n`);
clearTimeout(hardStop);
if (stored !== acknowledgedEvents) {
  process.stderr.write(`bench:soak: the server stored ${stored} events but acknowledged ${acknowledgedEvents}\n`);
  process.exitCode = 1;
}
