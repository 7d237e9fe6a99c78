// Runs @weft/browser (the script-tag build) in headless Chromium for the chaos harness: one tab
// on a page of its own origin, its IndexedDB queue in a Chromium profile that survives a SIGKILL
// of the whole browser; the next browser on the profile sends what the last one had accepted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { DEFAULTS } from '../../../packages/browser-sdk/src/options.js';
import { ensureBrowserSdkBuild } from '../../support/browser-sdk-build.js';
import { type RunningChromium, startChromium } from '../../support/chromium.js';
import { type StaticServer, startStaticServer } from '../../support/static-server.js';
import { type ChaosDriver, emptyTally, type SdkTiming } from './driver.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface BrowserSdkDriverOptions {
  name: string;
  writeKey: string;
  timing: SdkTiming;
  /** Calls per tick. */
  eventsPerTick?: number;
}

interface PageReport {
  type: 'delivered' | 'dropped' | 'retry' | 'error' | 'warning';
  messageIds: string[];
  code?: string;
  attempt?: number;
  message?: string;
}

/** The page's `window.weft`, as far as the driver calls it (the tests compile without the DOM library). */
interface PageWeft {
  weft: {
    track(event: string, properties: Record<string, unknown>, options: { messageId: string }): Promise<void>;
    flush(options: { timeoutMs: number }): Promise<{ isComplete: boolean; pending: number }>;
    close(): Promise<void>;
  };
  weftLoaded: Promise<unknown>;
}

export function createBrowserSdkDriver(options: BrowserSdkDriverOptions): ChaosDriver {
  const tally = emptyTally();
  const profileDir = mkdtempSync(join(tmpdir(), `weft-chaos-${options.name}-`));
  let pages: StaticServer | undefined;
  let chromium: RunningChromium | undefined;
  let page: Page | undefined;
  let pageUrl = '';
  let lifeNumber = 0;
  let seq = 0;
  /** When the last browser was killed: its tab's lease keeps its events from the next one until it lapses. */
  let lastKillAt = Number.NEGATIVE_INFINITY;

  const handle = (report: PageReport) => {
    switch (report.type) {
      case 'delivered':
        tally.delivered.push(...report.messageIds);
        return;
      case 'dropped':
        for (const messageId of report.messageIds) tally.dropped.push({ messageId, code: report.code ?? '?' });
        return;
      case 'retry': {
        const attempt = report.attempt ?? 0;
        tally.retries++;
        tally.highestAttempt = Math.max(tally.highestAttempt, attempt);
        tally.retriesByAttempt[attempt] = (tally.retriesByAttempt[attempt] ?? 0) + 1;
        return;
      }
      case 'error':
      case 'warning':
        tally.errors.push(`${report.type}: ${report.message ?? ''}`);
        return;
    }
  };

  async function startLife(): Promise<void> {
    lifeNumber++;
    chromium = await startChromium(profileDir);
    const tab = await chromium.context.newPage();
    tab.setDefaultTimeout(20_000);
    await tab.exposeFunction('weftChaosReport', handle);
    const response = await tab.goto(pageUrl);
    if (!response?.ok()) throw new Error(`${options.name}: ${pageUrl} answered ${response?.status()}`);
    await tab.waitForFunction(() => typeof (globalThis as unknown as PageWeft).weft?.track === 'function');
    await tab.evaluate(() => (globalThis as unknown as PageWeft).weftLoaded);
    page = tab;
  }

  const endLife = async () => {
    page = undefined;
    await chromium?.kill();
    chromium = undefined;
  };

  return {
    name: options.name,
    ...(options.eventsPerTick === undefined ? {} : { eventsPerTick: options.eventsPerTick }),
    async start(url) {
      await ensureBrowserSdkBuild();
      pages = await startStaticServer({
        '/sdk/': join(repoRoot, 'packages/browser-sdk/dist'),
        // No trailing slash: the static server checks files are under `dir + sep`.
        '/chaos/': fileURLToPath(new URL('../pages', import.meta.url)),
      });
      const { timing } = options;
      const sdkOptions = {
        flushAt: timing.flushAt,
        flushInterval: timing.flushIntervalMs,
        requestTimeoutMs: timing.requestTimeoutMs,
        retry: { baseDelayMs: 500 * timing.backoffScale, maxDelayMs: 60_000 * timing.backoffScale },
        // Leases stay at their defaults (10 s, renewed every 3 s): a restarted browser's tab takes
        // over the killed one's events once that lease lapses. A 3 s lease made a tab on this
        // loaded machine stall and report events dropped more than once (see docs/reliability.md).
      };
      const query = new URLSearchParams({ host: url, writeKey: options.writeKey, options: JSON.stringify(sdkOptions) });
      pageUrl = `${pages.url()}/chaos/chaos.html?${query}`;
      await startLife();
    },
    async send(count) {
      const tab = page;
      if (!tab) return;
      const messageIds = Array.from({ length: count }, () => `${options.name}-${lifeNumber}-${seq++}`);
      try {
        await tab.evaluate(async (ids) => {
          const { weft } = globalThis as unknown as PageWeft;
          // Resolved: each event is in IndexedDB.
          await Promise.all(ids.map((messageId, i) => weft.track('Chaos Tick', { i }, { messageId })));
        }, messageIds);
        tally.accepted.push(...messageIds);
      } catch {
        // The browser was killed mid-call: these were never confirmed.
      }
    },
    async kill() {
      lastKillAt = Date.now();
      tally.kills++;
      tally.killedLives.push(`${options.name}-${lifeNumber}-`);
      await endLife();
      await startLife();
    },
    async drain(timeoutMs) {
      const tab = page;
      if (!tab) return { isComplete: false, pending: Number.NaN };
      // A killed browser's events belong to its tab until that tab's lease lapses (10 s, checked at
      // each 3 s renewal); only then does the new tab adopt and send them. A flush before that
      // answers for this tab's own events alone, so the drain waits for the takeover first.
      const takeover = lastKillAt + DEFAULTS.leaseMs + DEFAULTS.leaseRenewMs + 1_000 - Date.now();
      if (takeover > 0) await new Promise((resolve) => setTimeout(resolve, takeover));
      const result = await tab.evaluate(
        (ms) => (globalThis as unknown as PageWeft).weft.flush({ timeoutMs: ms }),
        timeoutMs,
      );
      await chromium?.close();
      chromium = undefined;
      return result;
    },
    async stop() {
      await endLife();
      await pages?.close();
      pages = undefined;
      rmSync(profileDir, { recursive: true, force: true });
    },
    tally: () => structuredClone(tally),
  };
}
