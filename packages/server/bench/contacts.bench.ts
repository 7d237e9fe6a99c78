/**
 * pnpm bench:contacts [--reseed] — latency of the contacts API on 1,000,000 contacts (issue #5).
 * BENCH_CONTACTS, BENCH_REQUESTS and BENCH_KINDS=targeted (only the kinds held to the target) vary it.
 * 1. seeds (or reuses, from the OS temp folder) a database of BENCH_CONTACTS people (default
 *    1,000,000), each with traits, three identifiers and two events, written by the server's own
 *    ingest pipeline and identity resolver (bench/contact-seed.ts);
 * 2. starts the real server (src/main.ts) on 127.0.0.1 as a child process; this process is the one
 *    sequential HTTP client (keep-alive fetch);
 * 3. per kind of request: a warm-up of a tenth, then BENCH_REQUESTS (default 1,000) timed requests
 *    one after another (a fiftieth as many for the kinds not held to the target, which may scan
 *    every contact), each timed from send to the last byte of the body; prints p50/p95/p99, whether
 *    p95 <= 25 ms and what each search matched (its total).
 */
import { execSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { benchAdminToken } from './bench-events.js';
import { startBenchServer } from './bench-server.js';
import { type BenchRequest, page100Sorts, requestKinds } from './contact-requests.js';
import { cachedSeed } from './contact-seed.js';

const targetP95Ms = 25;
const count = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const requests = Number(process.env.BENCH_REQUESTS ?? 1_000);
const warmUp = Math.max(1, Math.round(requests / 10));
// The kinds not held to the target may scan every contact (a second or more each): fewer of them.
const reportedShare = 50;
// BENCH_KINDS=targeted leaves out the kinds that scan every contact, for a quicker run.
const targetedOnly = process.env.BENCH_KINDS === 'targeted';
const log = (line: string) => console.log(line);

interface Answer {
  readonly ms: number;
  readonly body: Record<string, unknown>;
}

function client(url: string) {
  const headers = { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' };
  return async (request: BenchRequest): Promise<Answer> => {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const started = performance.now();
    const res = await fetch(`${url}${request.path}`, { method: request.method, headers, body });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${request.method} ${request.path} answered ${res.status}: ${text}`);
    return { ms, body: JSON.parse(text) as Record<string, unknown> };
  };
}

type Send = ReturnType<typeof client>;

/** For each sort, the cursor that fetches page 100: nextCursor followed 99 times from page 1. */
async function capturePage100Cursors(send: Send): Promise<Map<string, string>> {
  const cursors = new Map<string, string>();
  for (const sort of page100Sorts) {
    let cursor: string | undefined;
    for (let page = 1; page < 100; page++) {
      const query = cursor === undefined ? '' : `&cursor=${cursor}`;
      const { body } = await send({ method: 'GET', path: `/v1/contacts?sort=${encodeURIComponent(sort)}${query}` });
      cursor = body.nextCursor as string;
      if (typeof cursor !== 'string') throw new Error(`sort ${sort} ended before page 100`);
    }
    cursors.set(sort, cursor as string);
  }
  return cursors;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** What a kind's answers matched: a search's total (a range when it varied), else rows per page. */
function matchedOf(bodies: Record<string, unknown>[]): string {
  const totals = bodies.map((body) => body.total as { value: number; isEstimate: boolean } | undefined);
  const format = (total: { value: number; isEstimate: boolean }) =>
    total.isEstimate ? `>${(total.value - 1).toLocaleString('en-US')}` : total.value.toLocaleString('en-US');
  if (totals.every((total) => total !== undefined)) {
    const values = [...new Set(totals.map(format))];
    const sorted = totals.map((total) => total.value).sort((a, b) => a - b);
    if (values.length === 1) return values[0] as string;
    const low = totals.find((total) => total.value === sorted[0]);
    const high = totals.find((total) => total.value === sorted.at(-1));
    return `${format(low as never)}–${format(high as never)}`;
  }
  if (!bodies.every((body) => Array.isArray(body.data))) return '-';
  const rows = bodies.map((body) => (body.data as unknown[]).length);
  return `${Math.min(...rows)}–${Math.max(...rows)} rows/page`.replace(/^(\d+)–\1 /, '$1 ');
}

async function main(): Promise<void> {
  const reseed = process.argv.includes('--reseed');
  const dbPath = await cachedSeed({ count, reseed, log });
  // Migrating here, not in the server: a migration added since the seed (an index) is built once,
  // before the clock starts, and the server starts at once.
  const started = performance.now();
  const migrated = openDatabase(dbPath);
  migrated.close();
  log(
    `database: ${dbPath}, ${(statSync(dbPath).size / 1e9).toFixed(2)} GB (opened and migrated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );

  const server = await startBenchServer(dbPath);
  try {
    const send = client(server.url);
    const cursors = await capturePage100Cursors(send);
    const kinds = requestKinds(count, cursors);
    log('server: src/main.ts, a child process on 127.0.0.1; client: this process, one request at a time');
    log(`load when measuring: ${execSync('uptime').toString().trim()}`);
    log('');
    const header = ['kind', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', `p95 <= ${targetP95Ms} ms`, 'matched'];
    const widths = [34, 9, 8, 8, 8, 13, 20];
    const row = (cells: string[]) =>
      log(
        cells
          .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
          .join(''),
      );
    row(header);
    let missed = 0;
    for (const kind of kinds.filter((kind) => kind.isTargeted || !targetedOnly)) {
      const random = seededRandom(5);
      const timed = kind.isTargeted ? requests : Math.max(1, Math.round(requests / reportedShare));
      for (let i = 0; i < (kind.isTargeted ? warmUp : Math.max(1, Math.round(warmUp / reportedShare))); i++) {
        await send(kind.request(i, random));
      }
      const latencies: number[] = [];
      const bodies: Record<string, unknown>[] = [];
      for (let i = 0; i < timed; i++) {
        const answer = await send(kind.request(i, random));
        latencies.push(answer.ms);
        bodies.push(answer.body);
      }
      latencies.sort((a, b) => a - b);
      const p95 = percentile(latencies, 95);
      const met = kind.isTargeted ? (p95 <= targetP95Ms ? 'yes' : 'NO') : 'not held';
      if (met === 'NO') missed++;
      row([
        kind.name,
        String(timed),
        ...[50, 95, 99].map((p) => percentile(latencies, p).toFixed(1)),
        met,
        matchedOf(bodies),
      ]);
    }
    log('');
    log(`load after: ${execSync('uptime').toString().trim()}`);
    if (missed > 0) {
      log(`${missed} kind(s) missed the p95 target of ${targetP95Ms} ms`);
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
  }
}

await main();
