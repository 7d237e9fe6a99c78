import type { BrowserContext, Page } from 'playwright-core';
import { insecureHost } from '../support/chromium.js';
import { testWriteKey } from '../support/server-process.js';

/** The part of `window.weft` (the script-tag build of @weft/browser) the tests call. */
export interface WeftGlobal {
  load(options: Record<string, unknown>): unknown;
  track(event: string, properties?: Record<string, unknown>): Promise<unknown>;
  identify(userId: string, traits?: Record<string, unknown>): Promise<unknown>;
  page(category?: string, name?: string, properties?: Record<string, unknown>): Promise<unknown>;
  flush(): Promise<unknown>;
  ready(): Promise<unknown>;
  reset(): void;
  user(): unknown;
}

/**
 * The browser globals the page functions touch. The tests compile without the DOM library, so a
 * page function casts `globalThis` to this (the cast is gone once it runs in the page).
 */
export interface PageWindow {
  weft: WeftGlobal;
  weftLoaded?: Promise<unknown>;
  isSecureContext: boolean;
  navigator: { locks?: unknown };
  crypto: { randomUUID?: unknown };
  location: { href: string };
}

/** The two kinds of page the SDK must work on: Web Locks and crypto.randomUUID exist only on the first. */
export const pageOrigins = [
  { label: 'a secure origin (127.0.0.1)', host: '127.0.0.1', isSecure: true },
  { label: `a non-secure origin (${insecureHost})`, host: insecureHost, isSecure: false },
] as const;

/** The test page on `pageBase` (the static server on some host), loading Weft against `host`. */
export function weftPageUrl(pageBase: string, load: { host: string; options?: Record<string, unknown> }): string {
  const query = new URLSearchParams({ host: load.host, writeKey: testWriteKey });
  if (load.options) query.set('options', JSON.stringify(load.options));
  return `${pageBase}/pages/weft.html?${query}`;
}

/** Opens the test page in a new tab and waits until `weft.load` has settled. */
export async function openWeftPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.waitForFunction(() => typeof (globalThis as unknown as PageWindow).weft?.track === 'function');
  await page.evaluate(() => (globalThis as unknown as PageWindow).weftLoaded);
  return page;
}

/** Whether the page really lacks (or has) what a secure context gives. */
export function secureContextFeatures(page: Page) {
  return page.evaluate(() => {
    const win = globalThis as unknown as PageWindow;
    return {
      isSecureContext: win.isSecureContext,
      hasWebLocks: win.navigator.locks !== undefined,
      hasRandomUUID: typeof win.crypto.randomUUID === 'function',
    };
  });
}

/**
 * Calls `weft.track(event, { run, index, ...extra })` `count` times, all at once, and resolves
 * when every call's promise has (the events are queued in IndexedDB).
 */
export async function trackEvents(
  page: Page,
  call: { event: string; run: string; count: number; extra?: Record<string, unknown> },
): Promise<void> {
  await page.evaluate(async ({ event, run, count, extra }) => {
    const { weft } = globalThis as unknown as PageWindow;
    const calls: Promise<unknown>[] = [];
    for (let index = 0; index < count; index++) calls.push(weft.track(event, { ...extra, run, index }));
    await Promise.all(calls);
  }, call);
}
