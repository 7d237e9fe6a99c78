/**
 * pnpm bench:webhooks — what webhooks cost ingest and how far behind they run, in one run:
 * 1. `lag`: a server with one endpoint subscribed to event.stored (Standard Webhooks, one change per
 *    request) delivering to a receiver on 127.0.0.1 (this process: reads each body, answers 204);
 *    2,000 events/s for 15 s (feed-lag-load.ts: identifies with traits, then tracks): for each
 *    event, its arrival at the receiver minus its change's commit time (p50, p99, max), deliveries
 *    per second, and whether every event arrived.
 * 2. `ingest`: the `people` workload (bench-events.ts, 8 connections) into a fresh server with that
 *    subscription and without, alternating which goes first, BENCH_ROUNDS (2) pairs: events/s as a
 *    ratio, pair by pair and the worst pair; with the subscription, how many deliveries the
 *    receiver had when ingest ended and how long the rest took (delivery is not starved to flatter
 *    ingest: it shares the server's CPU with it).
 * A ceiling that leaves Weft's delivery out: the receiver alone, fed by a plain keep-alive client.
 * Where taskset exists (and BENCH_PIN is not 0), the server runs on CPU 0 alone, and the load and
 * the receiver (this process) on CPU 1: a receiver is another machine's work, not charged to Weft's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAdminToken, totalEventsOf } from './bench-events.js';
import { startBenchServer } from './bench-server.js';
import { runJson } from './run-json.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const parts = new Set((process.env.BENCH_PARTS ?? 'ceiling,lag,ingest').split(','));
const admin = { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' };
const env = { WEFT_WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32' };
const pinning =
  process.env.BENCH_PIN !== '0' &&
  availableParallelism() >= 2 &&
  spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const serverPin = pinning ? ['taskset', '-c', '0'] : [];
const loadPin = pinning ? ['taskset', '-c', '1'] : [];
const line = (label: string, value: string) => console.log(`${label.padEnd(66)}${value}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Counts first receipts per webhook-id, and each one's lag behind its change's commit. */
async function startReceiver() {
  const seen = new Set<string>();
  const lags: number[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests += 1;
      const id = String(req.headers['webhook-id'] ?? requests);
      if (!seen.has(id)) {
        seen.add(id);
        const body = Buffer.concat(chunks).toString('utf8');
        const committed = Date.parse((JSON.parse(body) as { timestamp: string }).timestamp);
        if (Number.isFinite(committed)) lags.push(Date.now() - committed);
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    received: () => seen.size,
    requests: () => requests,
    lags,
    reset() {
      seen.clear();
      lags.length = 0;
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type BenchReceiver = Awaited<ReturnType<typeof startReceiver>>;

async function subscribe(url: string, receiver: BenchReceiver): Promise<void> {
  const res = await fetch(`${url}/v1/webhooks`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ url: receiver.url, types: ['event.stored'] }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/webhooks answered ${res.status}`);
}

async function until(isDone: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The receiver alone: 16 keep-alive connections posting a 600-byte body, for 5 s. */
async function ceiling(receiver: BenchReceiver): Promise<number> {
  receiver.reset();
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const body = JSON.stringify({
    type: 'event.stored',
    timestamp: new Date().toISOString(),
    data: { pad: 'x'.repeat(500) },
  });
  const started = performance.now();
  let sent = 0;
  const post = () =>
    new Promise<void>((resolve) => {
      const req = httpRequest(receiver.url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'webhook-id': `c${sent++}` },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() - started < 5_000) await post();
    }),
  );
  agent.destroy();
  return receiver.requests() / ((performance.now() - started) / 1000);
}

async function lagRun(dir: string, receiver: BenchReceiver) {
  receiver.reset();
  const server = await startBenchServer(join(dir, 'lag.db'), { env, pin: serverPin });
  try {
    await subscribe(server.url, receiver);
    const started = performance.now();
    const load = await runJson('bench/feed-lag-load.ts', [server.url, '2000', '15', 'lag'], loadPin);
    const events = load.events as number;
    const isComplete = await until(() => receiver.received() >= events, 60_000);
    const seconds = (performance.now() - started) / 1000;
    return { events, failures: load.failures as number, isComplete, seconds, lags: [...receiver.lags] };
  } finally {
    await server.stop();
    rmSync(join(dir, 'lag.db'), { force: true });
  }
}

async function ingestRun(dir: string, name: string, receiver: BenchReceiver | undefined) {
  receiver?.reset();
  const server = await startBenchServer(join(dir, `${name}.db`), { env, pin: serverPin });
  try {
    if (receiver) await subscribe(server.url, receiver);
    const load = await runJson('bench/load-generator.ts', [server.url, '8', 'people'], loadPin);
    const atEnd = receiver?.received() ?? 0;
    const drainStarted = performance.now();
    const drained = receiver ? await until(() => receiver.received() >= totalEventsOf('people'), 300_000) : true;
    return {
      eventsPerSecond: load.eventsPerSecond as number,
      p99Ms: load.p99Ms as number,
      failures: load.failures as number,
      deliveredAtEnd: atEnd,
      drainSeconds: (performance.now() - drainStarted) / 1000,
      drained,
    };
  } finally {
    await server.stop();
    rmSync(join(dir, `${name}.db`), { force: true });
  }
}

async function main(): Promise<void> {
  if (pinning) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const placement = pinning ? 'server on CPU 0, load and receiver on CPU 1' : 'not pinned';
  console.log(`weft webhooks bench: ${[...parts].join(', ')}; ${placement}; load average ${loadavg()[0]?.toFixed(2)}`);
  const dir = mkdtempSync(join(tmpdir(), 'weft-webhooks-bench-'));
  const receiver = await startReceiver();
  try {
    if (parts.has('ceiling')) {
      line('receiver alone, 16 keep-alive connections (ceiling)', `${fmt(await ceiling(receiver))} requests/s`);
    }
    if (parts.has('lag')) {
      const run = await lagRun(dir, receiver);
      line(
        'lag, commit -> receiver, 2,000 events/s for 15 s',
        `p50 ${fmt(percentile(run.lags, 50))} ms, p99 ${fmt(percentile(run.lags, 99))} ms, max ${fmt(Math.max(...run.lags))} ms (target p99 <= 2,000 ms)`,
      );
      line(
        '  delivered',
        `${fmt(run.lags.length)} of ${fmt(run.events)} events${run.isComplete ? '' : ' (NOT ALL)'}, ${fmt(run.lags.length / run.seconds)} deliveries/s, ${run.failures} ingest requests not 200`,
      );
    }
    if (parts.has('ingest')) {
      const ratios: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        const order = round % 2 === 1 ? [true, false] : [false, true];
        const results: Record<string, Awaited<ReturnType<typeof ingestRun>>> = {};
        for (const withHook of order) {
          const result = await ingestRun(
            dir,
            `r${round}-${withHook ? 'with' : 'without'}`,
            withHook ? receiver : undefined,
          );
          results[withHook ? 'with' : 'without'] = result;
          line(
            `  round ${round}, people (${fmt(totalEventsOf('people'))} events), ${withHook ? 'with' : 'without'} event.stored webhook`,
            `${fmt(result.eventsPerSecond)} events/s, p99 ${result.p99Ms.toFixed(1)} ms, ${result.failures} not 200` +
              (withHook
                ? `; ${fmt(result.deliveredAtEnd)} delivered when ingest ended, the rest in ${result.drainSeconds.toFixed(1)} s${result.drained ? '' : ' (NOT ALL)'}`
                : ''),
          );
        }
        ratios.push((results.with?.eventsPerSecond ?? 0) / (results.without?.eventsPerSecond ?? 1));
      }
      const sorted = [...ratios].sort((a, b) => a - b);
      line(
        'ingest with ÷ without an event.stored webhook, pair by pair',
        `${ratios.map((r) => r.toFixed(3)).join(', ')} (median ${sorted[Math.floor((sorted.length - 1) / 2)]?.toFixed(3)}, worst ${sorted[0]?.toFixed(3)}; target >= 0.8)`,
      );
    }
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
