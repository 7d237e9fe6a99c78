// Personalization in real headless Chromium against the real server (issue #18): a page tracks an
// event that puts its visitor into an audience, and the page, told through weft.on('profile'),
// shows different content within 2 seconds — through the stream, with no reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBrowserSdkBuild } from '../support/browser-sdk-build.js';
import { type RunningChromium, startFreshChromium } from '../support/chromium.js';
import { killStrayServers, testAdminToken, testWriteKey } from '../support/server-process.js';
import { startStaticServer } from '../support/static-server.js';
import { waitFor } from '../support/wait-for.js';
import { type BrowserSuite, startBrowserSuite } from './browser-suite.js';
import { pageMounts } from './page-mounts.js';
import type { PageWindow } from './weft-page.js';

let suite: BrowserSuite;
let browser: RunningChromium & { userDataDir: string };
let pages: Awaited<ReturnType<typeof startStaticServer>>;

beforeAll(async () => {
  await ensureBrowserSdkBuild();
  suite = await startBrowserSuite('personalize-e2e');
  browser = await startFreshChromium('personalize');
  pages = await startStaticServer(pageMounts);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await suite?.close();
  killStrayServers();
});

async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${suite.server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${testAdminToken}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

interface PersonalizeWindow extends PageWindow {
  profiles: { at: number; profile: { audiences: { id: string }[] } }[];
  document: { getElementById(id: string): { hidden: boolean } | null };
  performance: { now(): number };
}

describe('personalization in Chromium', () => {
  it('shows the page’s offer within 2 s of the event that puts its visitor into the audience', async () => {
    const audience = await admin('POST', '/v1/audiences', {
      name: 'Pricing viewers',
      rule: { event: 'Pricing Viewed' },
    });
    const isReady = await waitFor(async () => (await admin('GET', `/v1/audiences/${audience.id}`)).state === 'ready', {
      timeoutMs: 20_000,
    });
    expect(isReady).toBe(true);
    const pageBase = pages.url('127.0.0.1');
    const { key } = await admin('POST', '/v1/publishable-keys', {
      name: 'test pages',
      origins: [new URL(pageBase).origin],
      audiences: [audience.id],
    });
    const query = new URLSearchParams({
      host: suite.server.url,
      writeKey: testWriteKey,
      key: String(key),
      audience: String(audience.id),
    });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${pageBase}/pages/personalize.html?${query}`);
    await page.evaluate(() => (globalThis as unknown as PageWindow).weftLoaded);
    // Before: the visitor is in no audience, the offer is hidden.
    expect(
      await page.evaluate(() => (globalThis as unknown as PersonalizeWindow).document.getElementById('offer')?.hidden),
    ).toBe(true);
    const sentAt = await page.evaluate(async () => {
      const win = globalThis as unknown as PersonalizeWindow;
      const at = win.performance.now();
      await win.weft.track('Pricing Viewed');
      return at;
    });
    await page.waitForFunction(
      () => (globalThis as unknown as PersonalizeWindow).document.getElementById('offer')?.hidden === false,
      undefined,
      { timeout: 5_000 },
    );
    const shownAt = await page.evaluate(() => {
      const win = globalThis as unknown as PersonalizeWindow;
      return win.profiles.find((entry) => entry.profile.audiences.length > 0)?.at ?? Number.NaN;
    });
    console.log(`offer shown ${(shownAt - sentAt).toFixed(0)} ms after track()`);
    expect(shownAt - sentAt).toBeLessThan(2_000);
    await page.close();
  }, 60_000);
});
