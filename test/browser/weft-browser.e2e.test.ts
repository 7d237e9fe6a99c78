// @weft/browser's script-tag build in real headless Chromium against the real server (issue #7):
// offline, a killed browser, two tabs (and a tab closed while offline), and a page left for another
// origin, each on a secure origin and on a non-secure one (no Web Locks, no crypto.randomUUID).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBrowserSdkBuild } from '../support/browser-sdk-build.js';
import { elsewhereHost, type RunningChromium, startChromium, startFreshChromium } from '../support/chromium.js';
import { freePort, killStrayServers } from '../support/server-process.js';
import { startStaticServer } from '../support/static-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { type BrowserSuite, type StoredEvent, startBrowserSuite } from './browser-suite.js';
import { pageMounts } from './page-mounts.js';
import {
  openWeftPage,
  type PageWindow,
  pageOrigins,
  secureContextFeatures,
  trackEvents,
  weftPageUrl,
} from './weft-page.js';

let suite: BrowserSuite;
// One browser (a fresh profile) for the tests that need no restart: each test gets an origin of
// its own (a new port), so no two tests share a queue.
let browser: RunningChromium & { userDataDir: string };
// What a test starts, closed after it whether it passed or not.
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  await ensureBrowserSdkBuild();
  suite = await startBrowserSuite('browser-e2e');
  browser = await startFreshChromium('e2e');
}, 240_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await suite?.close();
  killStrayServers();
});

/** The base URL of a new origin serving the test pages on `host`, closed after the test. */
async function newOrigin(host: string): Promise<string> {
  const pages = await startStaticServer(pageMounts);
  cleanups.push(() => pages.close());
  return pages.url(host);
}

async function openPage(url: string) {
  const page = await openWeftPage(browser.context, url);
  cleanups.push(() => page.close());
  return page;
}

let runs = 0;
/** A tag unique to one test run, carried in every event's properties so the test finds its own. */
function newRun(name: string): string {
  runs += 1;
  return `${name}-${process.pid}-${runs}`;
}

/** Every index in 0..count-1 stored exactly once, each with a messageId of its own. */
function expectEachOnce(events: StoredEvent[], count: number): void {
  expect(events.map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, index) => index));
  expect(new Set(events.map((event) => event.messageId)).size).toBe(count);
}

function indexOf(event: StoredEvent): number {
  return (event.body.properties as { index: number }).index;
}

describe.each(pageOrigins)('@weft/browser in Chromium on $label', ({ host, isSecure }) => {
  it('delivers events tracked while offline once the browser is back online', async () => {
    const run = newRun('offline');
    const page = await openPage(weftPageUrl(await newOrigin(host), { host: suite.server.url }));
    // The page is what this run means it to be: a secure context, or one without Web Locks and randomUUID.
    expect(await secureContextFeatures(page)).toEqual({
      isSecureContext: isSecure,
      hasWebLocks: isSecure,
      hasRandomUUID: isSecure,
    });

    await browser.context.setOffline(true);
    cleanups.push(() => browser.context.setOffline(false));
    await trackEvents(page, { event: 'Offline Event', run, count: 10 });
    // Long enough for a flush to have been tried; nothing can have reached the server.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await suite.storedEvents(run)).toEqual([]);

    await browser.context.setOffline(false);
    const stored = await suite.waitForStored(run, 10);
    expectEachOnce(stored, 10);
    // One visitor: the same anonymousId on every event, and the SDK's own library context.
    expect(new Set(stored.map((event) => event.anonymousId)).size).toBe(1);
    expect(stored[0]?.anonymousId).toBeTruthy();
    expect(stored[0]?.body.context).toMatchObject({ library: { name: '@weft/browser' } });
  }, 60_000);

  it('delivers events queued when the browser was killed after it restarts on the same profile', async () => {
    const run = newRun('killed');
    const profile = mkdtempSync(join(tmpdir(), 'weft-chromium-killed-'));
    cleanups.push(async () => rmSync(profile, { recursive: true, force: true }));
    // The SDK sends to a port where nothing listens yet: every event stays queued.
    const proxyPort = await freePort();
    // The restarted browser is another client: it takes the dead one's events once their lease
    // runs out (10 s by default), so a short lease keeps the test short.
    const options = { leaseMs: 2_000, leaseRenewMs: 500 };
    const url = weftPageUrl(await newOrigin(host), { host: `http://127.0.0.1:${proxyPort}`, options });

    const first = await startChromium(profile);
    cleanups.push(() => first.close());
    const page = await openWeftPage(first.context, url);
    await trackEvents(page, { event: 'Before Crash', run, count: 20 });
    await first.kill();
    expect(await suite.storedEvents(run)).toEqual([]);

    // The same URL now reaches the server; the restarted browser opens the same page.
    const proxy = await startTcpProxy(proxyPort, suite.server.port);
    cleanups.push(() => proxy.close());
    const second = await startChromium(profile);
    cleanups.push(() => second.close());
    await openWeftPage(second.context, url);
    const stored = await suite.waitForStored(run, 20);
    expectEachOnce(stored, 20);
  }, 90_000);

  it('delivers every event of two tabs tracking at once exactly once, none sent twice', async () => {
    const run = newRun('tabs');
    const perTab = 50;
    const url = weftPageUrl(await newOrigin(host), { host: suite.server.url });
    const tabs = [await openPage(url), await openPage(url)];
    const deduplicatedBefore = await suite.metric('weft_events_deduplicated_total');

    await Promise.all(
      tabs.map((tab, index) => trackEvents(tab, { event: 'Tab Event', run, count: perTab, extra: { tab: index } })),
    );
    const stored = await suite.waitForStored(run, 2 * perTab);
    await Promise.all(tabs.map((tab) => tab.evaluate(() => (globalThis as unknown as PageWindow).weft.flush())));

    const key = (event: StoredEvent) => `${(event.body.properties as { tab: number }).tab}/${indexOf(event)}`;
    expect(stored.map(key).sort()).toEqual(
      [0, 1].flatMap((tab) => Array.from({ length: perTab }, (_, index) => `${tab}/${index}`)).sort(),
    );
    expect(new Set(stored.map((event) => event.messageId)).size).toBe(2 * perTab);
    // The server acknowledges a repeated messageId without storing it, and counts it here.
    expect((await suite.metric('weft_events_deduplicated_total')) - deduplicatedBefore).toBe(0);
  }, 60_000);

  it('delivers the events of a tab closed while offline from the tab still open, once', async () => {
    const run = newRun('adopted');
    // A short lease: the open tab takes the closed one's events once it runs out (10 s by default).
    const options = { leaseMs: 2_000, leaseRenewMs: 500 };
    const url = weftPageUrl(await newOrigin(host), { host: suite.server.url, options });
    const [closing, staying] = [await openPage(url), await openPage(url)];
    const deduplicatedBefore = await suite.metric('weft_events_deduplicated_total');

    // Offline, so neither the closing tab's sends nor its unload path can deliver anything.
    await browser.context.setOffline(true);
    cleanups.push(() => browser.context.setOffline(false));
    await trackEvents(closing, { event: 'Closed Tab Event', run, count: 15 });
    await closing.close();
    expect(await suite.storedEvents(run)).toEqual([]);

    await browser.context.setOffline(false);
    const stored = await suite.waitForStored(run, 15);
    expectEachOnce(stored, 15);
    await staying.evaluate(() => (globalThis as unknown as PageWindow).weft.flush());
    expect((await suite.metric('weft_events_deduplicated_total')) - deduplicatedBefore).toBe(0);
  }, 60_000);

  it('delivers events tracked just before the page navigates to another origin for good', async () => {
    const run = newRun('unload');
    // Neither a full batch nor the timer sends these: only the page going away can.
    const options = { flushAt: 100, flushInterval: 600_000 };
    const page = await openPage(weftPageUrl(await newOrigin(host), { host: suite.server.url, options }));
    const elsewhere = `${await newOrigin(elsewhereHost)}/pages/elsewhere.html`;
    const deduplicatedBefore = await suite.metric('weft_events_deduplicated_total');

    // As a click handler would: track, and leave in the same task, without awaiting anything.
    await page.evaluate(
      ({ run, elsewhere }) => {
        const win = globalThis as unknown as PageWindow;
        for (let index = 0; index < 5; index++) void win.weft.track('Left Page', { run, index });
        win.location.href = elsewhere;
      },
      { run, elsewhere },
    );
    await page.waitForURL(elsewhere);
    const stored = await suite.waitForStored(run, 5);
    expectEachOnce(stored, 5);
    // Sent once: a second copy would be deduplicated, but it spends the keepalive budget
    // (64 KB for every keepalive request in flight together) that other events need. A second
    // copy sent at the same moment arrives well within this second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await suite.metric('weft_events_deduplicated_total')) - deduplicatedBefore).toBe(0);
  }, 60_000);
});
