/**
 * The second half of pnpm bench:import (issue #19): web UI pages on 1,000,000 contacts while ingest
 * takes 500 events/s. On a copy of the bench:contacts seed (bench/contact-seed.ts), with a user to
 * log in as and one contact holding 1,000 events, the real server (src/main.ts) as a child process:
 * per kind of page, a warm-up then BENCH_UI_REQUESTS (default 200) requests one after another, each
 * timed from send to the last byte of the HTML; kinds alternate request by request, so that the
 * load lands on all alike. GET /health in the same rotation is the floor (no page work at all).
 * Target: p95 <= 100 ms for every page.
 */
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteUserAccounts } from '../src/storage/sqlite/users/sqlite-user-store.js';
import { hashPassword } from '../src/users/password-hash.js';
import { createBatchPoster } from './batch-poster.js';
import { startBenchServer } from './bench-server.js';
import { cachedSeed, personOf, rarePlan, seedNow } from './contact-seed.js';
import { runJson } from './run-json.js';

const count = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const requests = Number(process.env.BENCH_UI_REQUESTS ?? 200);
// Ingest runs this long; measuring stops 5 s before it does, if the requests are not done by then.
const loadSeconds = Number(process.env.BENCH_UI_SECONDS ?? 120);
const ingestRate = 500;
const targetP95Ms = 100;
const password = 'bench password, long enough';
const email = 'bench@example.com';
const busyUser = 'user-424242';

interface Kind {
  readonly name: string;
  readonly path: string;
  readonly isTarget: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function login(url: string): Promise<string> {
  const answer = await fetch(`${url}/ui/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = answer.headers.get('set-cookie')?.split(';')[0];
  if (answer.status !== 303 || !cookie) throw new Error(`login answered ${answer.status}`);
  return cookie;
}

/** The cursor of page 50 of the default list: "Next page" followed 49 times, as a person would. */
async function page50Path(get: (path: string) => Promise<string>): Promise<string> {
  let path = '/ui/contacts';
  for (let page = 1; page < 50; page++) {
    const next = /<a href="([^"]+)" rel="next">/.exec(await get(path))?.[1];
    if (!next) throw new Error(`no next page after page ${page}`);
    path = next.replaceAll('&amp;', '&');
  }
  return path;
}

/** 1,000 events for one contact of the seed (its contact page's timeline), through /v1/batch. */
async function giveEvents(url: string): Promise<void> {
  const poster = createBatchPoster(url, 1);
  for (let start = 0; start < 1_000; start += 100) {
    const batch = Array.from({ length: 100 }, (_, n) => ({
      type: 'track',
      userId: busyUser,
      event: 'Page Viewed',
      messageId: `ui-bench-${start + n}`,
      properties: { path: `/docs/${start + n}` },
      timestamp: new Date(seedNow - (start + n) * 60_000).toISOString(),
    }));
    const { status } = await poster.post(Buffer.from(JSON.stringify({ batch })));
    if (status !== 200) throw new Error(`/v1/batch answered ${status}`);
  }
  poster.close();
}

export async function measureUiPages(log: (line: string) => void): Promise<void> {
  const seed = await cachedSeed({ count, reseed: false, log });
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-ui-'));
  const dbPath = join(dir, 'weft.db');
  log(`ui pages: copying the seed to ${dbPath}`);
  for (const suffix of ['', '-wal']) if (existsSync(seed + suffix)) copyFileSync(seed + suffix, dbPath + suffix);
  const db = openDatabase(dbPath);
  createSqliteUserAccounts(db, Date.now).create({ email, role: 'member', passwordHash: await hashPassword(password) });
  db.close();
  const server = await startBenchServer(dbPath);
  try {
    const url = server.url;
    await giveEvents(url);
    const cookie = await login(url);
    const get = async (path: string) => {
      const answer = await fetch(`${url}${path}`, { headers: { Cookie: cookie } });
      const text = await answer.text();
      if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const busy = personOf(424_242, count, seedNow);
    const contactHtml = await get(`/ui/contacts?q=${encodeURIComponent(busy.email)}`);
    const contactPath = /href="(\/ui\/contacts\/ct_[0-9a-f]+)"/.exec(contactHtml)?.[1];
    if (!contactPath) throw new Error(`no contact found for ${busy.email}`);
    const kinds: Kind[] = [
      { name: 'contacts list, page 1', path: '/ui/contacts', isTarget: true },
      {
        name: `trait-filtered list (plan = ${rarePlan}, ~1%)`,
        path: `/ui/contacts?trait=plan&traitValue=${rarePlan}`,
        isTarget: true,
      },
      { name: 'search (name or email prefix)', path: '/ui/contacts?q=grace.hopper.1', isTarget: true },
      { name: 'page 50 of the list', path: await page50Path(get), isTarget: true },
      { name: 'contact page, 1,000+ events', path: contactPath, isTarget: true },
      { name: 'GET /health (floor)', path: '/health', isTarget: false },
    ];
    for (let round = 0; round < Math.max(5, requests / 10); round++) for (const kind of kinds) await get(kind.path);
    const ingest = runJson('bench/feed-lag-load.ts', [
      url,
      String(ingestRate),
      String(loadSeconds),
      `ui-${Date.now()}`,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    log(`ui pages: load when measuring: ${execSync('uptime').toString().trim()}`);
    const timings = new Map(kinds.map((kind) => [kind.name, [] as number[]]));
    const started = performance.now();
    let rounds = 0;
    for (; rounds < requests && performance.now() - started < (loadSeconds - 7) * 1000; rounds++) {
      for (const kind of kinds) {
        const begun = performance.now();
        await get(kind.path);
        timings.get(kind.name)?.push(performance.now() - begun);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    log('');
    log(
      `${count.toLocaleString('en-US')} contacts, ingest at ${ingestRate} events/s (open loop) for the ${seconds.toFixed(0)} s of measuring; ${rounds} requests per kind, kinds in turn`,
    );
    log('');
    log('| page | p50 ms | p95 ms | p99 ms | p95 <= 100 ms |');
    log('| --- | ---: | ---: | ---: | :---: |');
    for (const kind of kinds) {
      const sorted = [...(timings.get(kind.name) ?? [])].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      const verdict = kind.isTarget ? (p95 <= targetP95Ms ? 'yes' : '**no**') : '–';
      log(
        `| ${kind.name} | ${percentile(sorted, 50).toFixed(1)} | ${p95.toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${verdict} |`,
      );
    }
    const load = await ingest;
    log('');
    log(`ingest during the run: ${JSON.stringify(load)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
