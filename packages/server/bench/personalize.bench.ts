/**
 * pnpm bench:personalize — GET /v1/personalize on 1,000,000 contacts (issue #18), measured by the
 * client over HTTP, with ingest idle and then while it takes 1,000 events/s.
 * 1. seeds (or reuses) the contacts bench's database (bench/contact-seed.ts: each person has a
 *    userId, an anonymousId, an email and traits, so each is a known person);
 * 2. starts the real server (src/main.ts) with an identity secret; defines an audience over the
 *    seed's orders and a publishable key allowing two traits and that audience;
 * 3. per phase (ingest idle, then ingest at 1,000 events/s from bench/feed-lag-load.ts):
 *    - latency: requests paced at BENCH_RATE (default 200/s, open loop), 7 in 10 for a signed-in
 *      user (an identity token, the full answer), 3 in 10 for an anonymousId (a known person's:
 *      the empty answer, after the same reads); p50/p99 from send to the last byte;
 *    - throughput: 50 clients, each sending its next request when the last is answered, for
 *      BENCH_SECONDS (default 10): requests/s, p50/p99;
 *    - the ceiling: GET /health the same way (no storage, no auth), to tell the server's own
 *      HTTP cost from personalization's.
 * Prints a table and the targets: p99 <= 10 ms with ingest, <= 5 ms idle.
 */

import { execSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { benchAdminToken } from './bench-events.js';
import { startBenchServer } from './bench-server.js';
import { cachedSeed } from './contact-seed.js';
import { runJson } from './run-json.js';

const count = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const rate = Number(process.env.BENCH_RATE ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = 50;
const identitySecret = 'bench-identity-secret-0123456789abcdef';
const log = (line: string) => console.log(line);

interface Timed {
  readonly ms: number;
  readonly status: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function get(url: string, headers: Record<string, string> = {}): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve({ ms: performance.now() - started, status: response.statusCode ?? 0 }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function admin(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

function token(userId: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3_600 })}`;
  return `${unsigned}.${createHmac('sha256', identitySecret).update(unsigned).digest('base64url')}`;
}

/** A request for a random seeded person: 7 in 10 signed in (with a token), 3 in 10 by anonymousId. */
function personalizeRequests(base: string, key: string) {
  let seed = 7;
  const random = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const tokens = new Map<number, string>();
  return (): { url: string; headers: Record<string, string> } => {
    const n = Math.floor(random() * count);
    if (random() < 0.7) {
      const userId = `user-${n}`;
      let signed = tokens.get(n);
      if (!signed) {
        signed = token(userId);
        tokens.set(n, signed);
      }
      return {
        url: `${base}/v1/personalize?key=${key}&userId=${userId}`,
        headers: { 'X-Weft-Identity-Token': signed },
      };
    }
    return { url: `${base}/v1/personalize?key=${key}&anonymousId=anon-${n}`, headers: {} };
  };
}

type NextRequest = () => { url: string; headers: Record<string, string> };

/** Open loop: a request every 1/rate s, whatever the answers' pace. */
async function paced(next: NextRequest, perSecond: number, forSeconds: number): Promise<Timed[]> {
  const results: Promise<Timed>[] = [];
  const started = performance.now();
  for (let i = 0; i < perSecond * forSeconds; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { url, headers } = next();
    results.push(get(url, headers));
  }
  return Promise.all(results);
}

/** Closed loop: `clients` each send their next request when the last is answered. */
async function closed(
  next: NextRequest,
  clients: number,
  forSeconds: number,
): Promise<{ timed: Timed[]; perSecond: number }> {
  const timed: Timed[] = [];
  const started = performance.now();
  const end = started + forSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const { url, headers } = next();
        timed.push(await get(url, headers));
      }
    }),
  );
  return { timed, perSecond: timed.length / ((performance.now() - started) / 1000) };
}

function percentiles(timed: readonly Timed[]) {
  const failed = timed.filter((entry) => entry.status !== 200 && entry.status !== 304).length;
  const sorted = timed.map((entry) => entry.ms).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(50), p99: at(99), failed, n: sorted.length };
}

async function phase(name: string, base: string, key: string) {
  const personalize = personalizeRequests(base, key);
  const health: NextRequest = () => ({ url: `${base}/health`, headers: {} });
  const latency = percentiles(await paced(personalize, rate, seconds));
  const healthLatency = percentiles(await paced(health, rate, seconds));
  const load = await closed(personalize, concurrency, seconds);
  const healthLoad = await closed(health, concurrency, seconds);
  return {
    name,
    latency,
    healthLatency,
    load: { ...percentiles(load.timed), perSecond: load.perSecond },
    healthLoad: { ...percentiles(healthLoad.timed), perSecond: healthLoad.perSecond },
  };
}

async function main(): Promise<void> {
  const dbPath = await cachedSeed({ count, reseed: process.argv.includes('--reseed'), log });
  const server = await startBenchServer(dbPath, { env: { WEFT_IDENTITY_SECRET: identitySecret } });
  try {
    const base = server.url;
    // One audience over the seed's orders, defined by the first run on this database and reused.
    const defined = (await admin(base, 'GET', '/v1/audiences')).data as { id: string; name: string }[];
    const audience =
      defined.find((candidate) => candidate.name === 'Bench buyers') ??
      (await admin(base, 'POST', '/v1/audiences', { name: 'Bench buyers', rule: { event: 'Order Completed' } }));
    const startedBackfill = performance.now();
    while ((await admin(base, 'GET', `/v1/audiences/${audience.id}`)).state !== 'ready') {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    log(
      `audience backfilled over ${count.toLocaleString('en-US')} contacts in ${((performance.now() - startedBackfill) / 1000).toFixed(1)} s`,
    );
    const { key } = await admin(base, 'POST', '/v1/publishable-keys', {
      name: 'bench',
      traits: ['plan', 'firstName'],
      audiences: [audience.id],
    });
    // Warm-up: caches, JIT, the agent's sockets.
    await closed(personalizeRequests(base, String(key)), concurrency, 3);
    log(`load when measuring: ${execSync('uptime').toString().trim()}`);
    const idle = await phase('ingest idle', base, String(key));
    const ingest = runJson('bench/feed-lag-load.ts', [
      base,
      '1000',
      String(seconds * 4 + 10),
      `personalize-${Date.now()}`,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const busy = await phase('ingest at 1,000 events/s', base, String(key));
    const ingested = await ingest;
    const fmt = (ms: number) => ms.toFixed(2);
    log('');
    log(
      `${count.toLocaleString('en-US')} contacts; latency at ${rate} requests/s (open loop); throughput with ${concurrency} clients (closed loop); ${seconds} s each`,
    );
    log('');
    log(
      '| phase | latency p50 / p99 ms | /health p50 / p99 ms | 50 clients: requests/s, p50 / p99 ms | /health, 50 clients: requests/s | failed |',
    );
    log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const result of [idle, busy]) {
      log(
        `| ${result.name} | ${fmt(result.latency.p50)} / **${fmt(result.latency.p99)}** | ${fmt(result.healthLatency.p50)} / ${fmt(result.healthLatency.p99)} | ` +
          `${Math.round(result.load.perSecond).toLocaleString('en-US')}, ${fmt(result.load.p50)} / ${fmt(result.load.p99)} | ` +
          `${Math.round(result.healthLoad.perSecond).toLocaleString('en-US')} | ${result.latency.failed + result.load.failed} |`,
      );
    }
    log('');
    log(`ingest during the busy phase: ${JSON.stringify(ingested)}`);
    log(
      `targets: p99 <= 5 ms idle: ${idle.latency.p99 <= 5 ? 'met' : 'MISSED'}; p99 <= 10 ms with ingest: ${busy.latency.p99 <= 10 ? 'met' : 'MISSED'}`,
    );
  } finally {
    agent.destroy();
    await server.stop();
  }
}

await main();
