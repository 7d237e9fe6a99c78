// Segment's own analytics.js (the @segment/analytics-next standalone build) in real Chromium,
// loading its settings from Weft and sending to Weft: the server is a drop-in for Segment's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChromium, startFreshChromium } from '../support/chromium.js';
import { killStrayServers, testWriteKey } from '../support/server-process.js';
import { type BrowserSuite, startBrowserSuite } from './browser-suite.js';

/** The part of analytics.js's global the test calls, once the library has replaced the snippet's stub. */
interface SegmentWindow {
  analytics: {
    initialized?: boolean;
    identify(userId: string, traits: Record<string, unknown>): Promise<unknown>;
    track(event: string, properties: Record<string, unknown>): Promise<unknown>;
    page(category: string, name: string, properties: Record<string, unknown>): Promise<unknown>;
  };
}

let suite: BrowserSuite;
let browser: RunningChromium | undefined;

beforeAll(async () => {
  suite = await startBrowserSuite('analytics-next-e2e');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await suite?.close();
  killStrayServers();
});

describe("Segment's analytics.js in Chromium pointed at Weft", () => {
  it('fetches its settings from Weft and delivers identify, track and page, each stored once', async () => {
    browser = await startFreshChromium('analytics-next');
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(`${request.method()} ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    const settingsFetched = page.waitForResponse(
      (response) => response.url() === `${suite.server.url}/v1/projects/${testWriteKey}/settings`,
    );

    const query = new URLSearchParams({ weft: suite.server.url, writeKey: testWriteKey });
    await page.goto(`${suite.pages.url()}/pages/analytics-next.html?${query}`);
    expect((await settingsFetched).status()).toBe(200);
    await page.waitForFunction(() => (globalThis as unknown as SegmentWindow).analytics.initialized === true);

    const run = `segment-${process.pid}`;
    const userId = `${run}-user`;
    await page.evaluate(
      async ({ run, userId }) => {
        const { analytics } = globalThis as unknown as SegmentWindow;
        await analytics.identify(userId, { run, email: 'peter@example.com', plan: 'premium' });
        await analytics.track('Item Purchased', { run, revenue: 39.95 });
        await analytics.page('Docs', 'Browser Library', { run });
      },
      { run, userId },
    );

    const stored = await suite.waitForStored(run, 3);
    expect(stored.map((event) => event.type).sort()).toEqual(['identify', 'page', 'track']);
    expect(new Set(stored.map((event) => event.messageId)).size).toBe(3);
    const byType = Object.fromEntries(stored.map((event) => [event.type, event]));
    expect(byType.identify?.userId).toBe(userId);
    expect(byType.identify?.body.traits).toMatchObject({ email: 'peter@example.com', plan: 'premium' });
    expect(byType.track).toMatchObject({ event: 'Item Purchased', userId });
    expect(byType.track?.body.properties).toEqual({ run, revenue: 39.95 });
    expect(byType.page?.body).toMatchObject({ name: 'Browser Library', category: 'Docs' });
    // One browser, one anonymous id, and the library's own context passed through untouched.
    expect(new Set(stored.map((event) => event.anonymousId)).size).toBe(1);
    expect(byType.track?.body.context).toMatchObject({ library: { name: 'analytics.js' } });
    expect(failedRequests).toEqual([]);
  }, 60_000);
});
