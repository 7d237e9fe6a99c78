// pnpm bench:browser — @weft/browser in headless Chromium next to Segment's analytics.js, in the
// same run: the main-thread time of a track() call (its synchronous part, timed call by call over
// 10,000 calls in batches of 100, each batch's promises awaited before the next), the time to
// settle, and the gzip -9 size of the script-tag builds (plus Snowplow's UMD build for size).
// Both send to a real Weft server (a child process, temporary database); each measurement gets a
// fresh Chromium profile; two rounds, alternating, since this machine is shared and noisy.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { pageMounts } from '../browser/page-mounts.js';
import { ensureBrowserSdkBuild } from '../support/browser-sdk-build.js';
import { startFreshChromium } from '../support/chromium.js';
import { fetchMetrics, startServerProcess, testWriteKey } from '../support/server-process.js';
import { startStaticServer } from '../support/static-server.js';
import { waitFor } from '../support/wait-for.js';

const count = Number(process.env.BENCH_CALLS ?? 10_000);
const batchSize = 100;
const rounds = 2;
const testRoot = fileURLToPath(new URL('../', import.meta.url));

interface Timing {
  count: number;
  crossOriginIsolated: boolean;
  syncMedianMs: number;
  syncP99Ms: number;
  syncMeanMs: number;
  settleMedianMs: number;
  settleP99Ms: number;
}

const weftScript = await ensureBrowserSdkBuild();
const scripts = [
  { lib: '@weft/browser', file: 'packages/browser-sdk/dist/weft.min.js', path: weftScript },
  {
    lib: '@segment/analytics-next 1.84 (standalone)',
    file: 'dist/umd/standalone.js',
    path: join(testRoot, 'node_modules/@segment/analytics-next/dist/umd/standalone.js'),
  },
  {
    lib: '@snowplow/browser-tracker 4.10 (UMD)',
    file: 'dist/index.umd.min.js',
    path: join(testRoot, 'node_modules/@snowplow/browser-tracker/dist/index.umd.min.js'),
  },
];
const sizes = scripts.map(({ lib, file, path }) => {
  const bytes = readFileSync(path);
  return { lib, file, minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
});

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-browser-'));
const server = await startServerProcess(join(dir, 'weft.db'));
// Cross-origin isolation: performance.now() then resolves 5 µs instead of 100 µs.
const pages = await startStaticServer(pageMounts, {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

async function acceptedTotal(): Promise<number> {
  const text = await fetchMetrics(server.url);
  return Number(/^weft_events_accepted_total (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

async function measure(page: Page, call: string): Promise<Timing> {
  await page.addScriptTag({ url: '/pages/measure-calls.js' });
  // A string, not a function: tsx's transform would leave helpers the page does not have.
  return (await page.evaluate(`measureCalls(${call}, ${JSON.stringify({ count, batchSize })})`)) as Timing;
}

async function measureWeft(): Promise<Timing & { delivered: number }> {
  const browser = await startFreshChromium('bench-weft');
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(300_000);
    // A queue that holds the whole burst, so no call takes the drop-oldest path.
    const options = { maxQueueSize: 2 * count, maxQueueBytes: 64 * 1024 * 1024 };
    const query = new URLSearchParams({ host: server.url, writeKey: testWriteKey, options: JSON.stringify(options) });
    await page.goto(`${pages.url()}/pages/weft.html?${query}`);
    await page.evaluate('window.weftLoaded');
    const before = await acceptedTotal();
    const timing = await measure(page, "(i) => weft.track('Bench Event', { index: i, plan: 'pro', price: 9.99 })");
    await page.evaluate('weft.flush()');
    await waitFor(async () => (await acceptedTotal()) - before >= count, { timeoutMs: 120_000, intervalMs: 250 });
    return { ...timing, delivered: (await acceptedTotal()) - before };
  } finally {
    await browser.close();
  }
}

async function measureSegment(): Promise<Timing & { delivered: number }> {
  const browser = await startFreshChromium('bench-segment');
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(300_000);
    const query = new URLSearchParams({ weft: server.url, writeKey: testWriteKey });
    await page.goto(`${pages.url()}/pages/analytics-next.html?${query}`);
    await page.waitForFunction('window.analytics.initialized === true');
    const before = await acceptedTotal();
    const timing = await measure(page, "(i) => analytics.track('Bench Event', { index: i, plan: 'pro', price: 9.99 })");
    await waitFor(async () => (await acceptedTotal()) - before >= count, { timeoutMs: 120_000, intervalMs: 250 });
    return { ...timing, delivered: (await acceptedTotal()) - before };
  } finally {
    await browser.close();
  }
}

try {
  const timings: { lib: string; round: number; timing: Timing & { delivered: number } }[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const [lib, measureLib] of [
      ['@weft/browser', measureWeft],
      ['@segment/analytics-next', measureSegment],
    ] as const) {
      process.stderr.write(`round ${round}: ${lib}…\n`);
      timings.push({ lib, round, timing: await measureLib() });
    }
  }

  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`\nScript size (gzip -9, measured now)\n`);
  console.log('| library | file | minified | gzip -9 |');
  console.log('| --- | --- | ---: | ---: |');
  for (const size of sizes)
    console.log(`| ${size.lib} | \`${size.file}\` | ${kb(size.minBytes)} | ${kb(size.gzipBytes)} |`);

  console.log(
    `\ntrack() on Chromium's main thread: ${count.toLocaleString('en-US')} calls, batches of ${batchSize}` +
      ` (cross-origin isolated: ${timings.every((t) => t.timing.crossOriginIsolated)})\n`,
  );
  console.log('| library | round | sync median | sync p99 | sync mean | settle median | settle p99 | stored |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { lib, round, timing } of timings) {
    console.log(
      `| ${lib} | ${round} | ${us(timing.syncMedianMs)} | ${us(timing.syncP99Ms)} | ${us(timing.syncMeanMs)} |` +
        ` ${us(timing.settleMedianMs)} | ${us(timing.settleP99Ms)} | ${timing.delivered.toLocaleString('en-US')} |`,
    );
  }
  console.log(
    '\nsync: the call itself, timed alone; settle: a batch of 100 calls until all their promises resolved,' +
      ' per call (@weft/browser: the events are in IndexedDB; analytics-next: its plugins have run, delivery included).',
  );
} finally {
  await pages.close();
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}
