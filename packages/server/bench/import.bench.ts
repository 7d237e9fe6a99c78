/**
 * pnpm bench:import — CSV import against ingest of the same people (issue #19).
 * Per round, each on a fresh database and a fresh server (src/main.ts, a child process):
 *   A. the CSV import of BENCH_ROWS people (default 100,000: email, name, plan, company, a
 *      timestamp; 1 in 100 rows bad: an email that is not one), from POST /v1/imports to its end;
 *   B. the same people through /v1/batch, as identify events with the same traits (batches of 100,
 *      8 connections, the bodies built before the clock starts): the reference.
 * Rows/s of A as a ratio to events/s of B (target >= 0.5); A and B alternate which goes first, and
 * the worst round is printed with the median. BENCH_ROUNDS (default 3).
 * Then the web UI's pages at 1,000,000 contacts under ingest (bench/ui-pages-latency.ts);
 * BENCH_PART=import or BENCH_PART=ui runs one half alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchPoster } from './batch-poster.js';
import { benchAdminToken } from './bench-events.js';
import { startBenchServer } from './bench-server.js';
import { measureUiPages } from './ui-pages-latency.js';

const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const log = (line: string) => console.log(line);

interface Person {
  email: string;
  name: string;
  plan: string;
  company: string;
  at: string;
}

function people(): Person[] {
  const plans = ['free', 'starter', 'pro', 'team'];
  return Array.from({ length: rows }, (_, n) => ({
    // 1 in 100 bad: not an email (refused by the import; sent as a plain trait by ingest).
    email: n % 100 === 99 ? `not-an-email-${n}` : `person-${n}@example.com`,
    name: `Person ${n}`,
    plan: plans[n % plans.length] as string,
    company: `Company ${n % 1_000}`,
    at: new Date(Date.UTC(2026, 0, 1) + n * 1_000).toISOString(),
  }));
}

function csvOf(list: readonly Person[]): string {
  return [
    'email,name,plan,company,timestamp',
    ...list.map((p) => `${p.email},${p.name},${p.plan},${p.company},${p.at}`),
  ].join('\n');
}

async function withServer<T>(use: (url: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-import-'));
  const server = await startBenchServer(join(dir, 'weft.db'));
  try {
    return await use(server.url);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runImport(csv: string): Promise<{ rowsPerSecond: number; created: number; failed: number }> {
  return withServer(async (url) => {
    const headers = { Authorization: `Bearer ${benchAdminToken}` };
    const started = performance.now();
    const response = await fetch(`${url}/v1/imports?key=email`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/csv' },
      body: csv,
    });
    const job = (await response.json()) as { id: string };
    if (response.status !== 202) throw new Error(`POST /v1/imports: ${response.status} ${JSON.stringify(job)}`);
    for (;;) {
      const view = (await (await fetch(`${url}/v1/imports/${job.id}`, { headers })).json()) as {
        status: string;
        rows: { created: number; failed: number };
      };
      if (view.status === 'failed') throw new Error(`the import failed: ${JSON.stringify(view)}`);
      if (view.status === 'done') {
        return { rowsPerSecond: rows / ((performance.now() - started) / 1000), ...view.rows };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

async function runIngest(list: readonly Person[]): Promise<{ eventsPerSecond: number }> {
  const bodies: Buffer[] = [];
  for (let i = 0; i < list.length; i += 100) {
    const batch = list.slice(i, i + 100).map((p, j) => ({
      type: 'identify',
      messageId: `bench-import-${i + j}`,
      userId: `person-${i + j}`,
      timestamp: p.at,
      traits: { email: p.email, name: p.name, plan: p.plan, company: p.company },
    }));
    bodies.push(Buffer.from(JSON.stringify({ batch })));
  }
  return withServer(async (url) => {
    const poster = createBatchPoster(url, 8);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          const { status } = await poster.post(bodies[next++] as Buffer);
          if (status !== 200) throw new Error(`/v1/batch answered ${status}`);
        }
      }),
    );
    poster.close();
    return { eventsPerSecond: list.length / ((performance.now() - started) / 1000) };
  });
}

const part = process.env.BENCH_PART ?? 'all';
if (part !== 'ui') {
  const list = people();
  const csv = csvOf(list);
  log(
    `${rows.toLocaleString('en-US')} people (1 in 100 rows bad), ${(csv.length / 1e6).toFixed(1)} MB of CSV; ${rounds} rounds, import and ingest alternating`,
  );
  log('');
  log('| round | import rows/s (created, refused) | ingest events/s | import ÷ ingest |');
  log('| --- | ---: | ---: | ---: |');
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    let imported: Awaited<ReturnType<typeof runImport>>;
    let ingested: Awaited<ReturnType<typeof runIngest>>;
    if (round % 2 === 1) {
      imported = await runImport(csv);
      ingested = await runIngest(list);
    } else {
      ingested = await runIngest(list);
      imported = await runImport(csv);
    }
    const ratio = imported.rowsPerSecond / ingested.eventsPerSecond;
    ratios.push(ratio);
    log(
      `| ${round} | ${Math.round(imported.rowsPerSecond).toLocaleString('en-US')} (${imported.created.toLocaleString('en-US')}, ${imported.failed.toLocaleString('en-US')}) | ` +
        `${Math.round(ingested.eventsPerSecond).toLocaleString('en-US')} | **${ratio.toFixed(2)}** |`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  log('');
  log(`median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)}, worst ${sorted[0]?.toFixed(2)} (target >= 0.5)`);
}
if (part !== 'import') {
  log('');
  await measureUiPages(log);
}
