// The visitor's identity across a browser crash (issue #20), in real Chromium against the real
// server: the browser is SIGKILLed right after a call resolves — after the first `track`, after
// `identify`, after `reset` — and restarted on the same profile. Chromium writes cookies and
// localStorage to disk lazily, so they may be lost; the next start must find the same visitor in
// IndexedDB, and deliver the queued events under it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBrowserSdkBuild } from '../support/browser-sdk-build.js';
import { startChromium } from '../support/chromium.js';
import { freePort, killStrayServers } from '../support/server-process.js';
import { startStaticServer } from '../support/static-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { type BrowserSuite, startBrowserSuite } from './browser-suite.js';
import { pageMounts } from './page-mounts.js';
import { openWeftPage, type PageWindow, pageOrigins, weftPageUrl } from './weft-page.js';

interface Visitor {
  id?: string;
  anonymousId: string;
  traits: Record<string, unknown>;
}

let suite: BrowserSuite;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  await ensureBrowserSdkBuild();
  suite = await startBrowserSuite('identity-crash');
}, 240_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await suite?.close();
  killStrayServers();
});

let runs = 0;
function newRun(name: string): string {
  runs += 1;
  return `${name}-${process.pid}-${runs}`;
}

/** Runs `calls` in the page, and returns the visitor once they resolved. */
function call(page: Page, calls: string, run: string): Promise<Visitor> {
  return page.evaluate(
    async ({ calls, run }) => {
      const { weft } = globalThis as unknown as PageWindow;
      // The test's own script, run in its own page.
      await new Function('weft', 'run', `return (async () => { ${calls} })();`)(weft, run);
      return weft.user() as Visitor;
    },
    { calls, run },
  );
}

/**
 * Opens the page on a new profile with the server unreachable (every event stays queued), runs
 * `calls`, SIGKILLs the browser the moment they resolve, then restarts it on the same profile with
 * the server reachable. Returns the visitor before the kill and the one the next start finds.
 */
async function crashAfter(host: string, calls: string, run: string) {
  const profile = mkdtempSync(join(tmpdir(), 'weft-chromium-identity-'));
  cleanups.push(async () => rmSync(profile, { recursive: true, force: true }));
  const pages = await startStaticServer(pageMounts);
  cleanups.push(() => pages.close());
  const proxyPort = await freePort();
  // The next start takes the dead page's events once their lease runs out: a short one keeps this short.
  const options = { leaseMs: 2_000, leaseRenewMs: 500 };
  const url = weftPageUrl(pages.url(host), { host: `http://127.0.0.1:${proxyPort}`, options });

  const first = await startChromium(profile);
  cleanups.push(() => first.close());
  const before = await call(await openWeftPage(first.context, url), calls, run);
  await first.kill();

  const proxy = await startTcpProxy(proxyPort, suite.server.port);
  cleanups.push(() => proxy.close());
  const second = await startChromium(profile);
  cleanups.push(() => second.close());
  const page = await openWeftPage(second.context, url);
  const after = await call(page, 'await weft.ready();', run);
  return { before, after, page };
}

describe.each(pageOrigins)(
  '@weft/browser in Chromium on $label: the visitor after the browser was killed',
  ({ host }) => {
    it('keeps the anonymousId of a visitor killed right after the first track', async () => {
      const run = newRun('first-track');
      const { before, after, page } = await crashAfter(host, `await weft.track('First', { run });`, run);
      expect(after.anonymousId).toBe(before.anonymousId);
      await call(page, `await weft.track('Next start', { run });`, run);
      const stored = await suite.waitForStored(run, 2);
      expect(stored.map((event) => [event.event, event.anonymousId])).toEqual([
        ['First', before.anonymousId],
        ['Next start', before.anonymousId],
      ]);
    }, 90_000);

    it('keeps the user and traits of a visitor killed right after identify', async () => {
      const run = newRun('identify');
      const { before, after, page } = await crashAfter(
        host,
        `await weft.track('Anonymous', { run }); await weft.identify('user-1', { plan: 'pro', run });`,
        run,
      );
      expect(before).toMatchObject({ id: 'user-1', traits: { plan: 'pro' } });
      expect(after).toEqual(before);
      await call(page, `await weft.track('Next start', { run });`, run);
      const stored = await suite.waitForStored(run, 3);
      expect(stored.map((event) => [event.type, event.anonymousId, event.userId])).toEqual([
        ['track', before.anonymousId, null],
        ['identify', before.anonymousId, 'user-1'],
        ['track', before.anonymousId, 'user-1'],
      ]);
    }, 90_000);

    it('does not bring back the user of a visitor killed right after reset', async () => {
      const run = newRun('reset');
      const { before, after, page } = await crashAfter(
        host,
        `await weft.identify('user-1', { run });
       await weft.track('Identified', { run });
       // Long enough for a lazy write of the identified visitor's cookie to have happened.
       await new Promise((resolve) => setTimeout(resolve, 1_500));
       weft.reset();
       await weft.track('After reset', { run });`,
        run,
      );
      expect(before.id).toBeUndefined();
      expect(after).toEqual(before);
      await call(page, `await weft.track('Next start', { run });`, run);
      const stored = await suite.waitForStored(run, 4);
      expect(stored.map((event) => [event.event ?? event.type, event.userId])).toEqual([
        ['identify', 'user-1'],
        ['Identified', 'user-1'],
        ['After reset', null],
        ['Next start', null],
      ]);
      expect(stored.slice(2).map((event) => event.anonymousId)).toEqual([before.anonymousId, before.anonymousId]);
      expect(stored[0]?.anonymousId).not.toBe(before.anonymousId);
    }, 90_000);
  },
);
