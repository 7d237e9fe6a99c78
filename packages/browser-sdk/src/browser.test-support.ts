// Shared set-up for the browser client's tests: a fake Weft server behind msw (the real fetch
// transport sends to it), fresh IndexedDB / localStorage / cookies per test, and fake time that
// leaves setImmediate alone, since fake-indexeddb schedules its work with it.
import 'fake-indexeddb/auto';
import type { SegmentEvent } from '@weft/core';
import { IDBFactory } from 'fake-indexeddb';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { type Analytics, type BrowserDeps, createAnalytics } from './analytics.js';
import type { BrowserOptions, BrowserReport } from './options.js';

export const HOST = 'http://weft.test';
export const WRITE_KEY = 'wk_browser_test';

/** An event as the server got it; `event` is read on any type for brevity (undefined but on track). */
export type ReceivedEvent = SegmentEvent & { event?: string };

export interface Received {
  batch: ReceivedEvent[];
  body: Record<string, unknown>;
  authorization: string | null;
  contentType: string | null;
}

/** What to answer to the n-th request (0-based); `undefined` means 200. */
export type Script = (request: Received, index: number) => Response | undefined | Promise<Response | undefined>;

export class FakeWeft {
  readonly requests: Received[] = [];
  /** messageId → event, once each: the server dedupes. */
  readonly stored = new Map<string, ReceivedEvent>();
  script: Script = () => undefined;

  readonly server = setupServer(
    http.post(`${HOST}/v1/batch`, async ({ request }) => {
      const body = JSON.parse(await request.text()) as Record<string, unknown> & { batch: ReceivedEvent[] };
      const received: Received = {
        batch: body.batch,
        body,
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
      };
      this.requests.push(received);
      const answer = (await this.script(received, this.requests.length - 1)) ?? HttpResponse.json({ success: true });
      if (answer.status === 200) for (const event of body.batch) this.stored.set(event.messageId, event);
      return answer;
    }),
  );

  get sentIds(): string[] {
    return this.requests.flatMap((request) => request.batch.map((event) => event.messageId));
  }
}

export interface ClientHandle {
  client: Analytics;
  reports: BrowserReport[];
  droppedIds(code?: string): string[];
}

const open: Analytics[] = [];

/** A client on the fake server; closed after the test. */
export function newClient(options: Partial<BrowserOptions> = {}, deps: BrowserDeps = {}): ClientHandle {
  const reports: BrowserReport[] = [];
  const client = createAnalytics(
    { writeKey: WRITE_KEY, host: HOST, flushAt: 100, onReport: (report) => reports.push(report), ...options },
    { random: () => 0.5, ...deps },
  );
  open.push(client);
  return {
    client,
    reports,
    droppedIds: (code) =>
      reports.flatMap((report) =>
        report.type === 'dropped' && (code === undefined || report.reason.code === code)
          ? report.events.map((event) => event.messageId)
          : [],
      ),
  };
}

/**
 * Moves fake time on by `ms`, in steps of at most 500 ms, letting IndexedDB (which runs on the
 * real setImmediate) and promise chains finish between steps as they would between real timer ticks.
 */
export async function settle(ms = 0): Promise<void> {
  const drain = async () => {
    for (let round = 0; round < 10; round++) await new Promise((resolve) => setImmediate(resolve));
  };
  await drain();
  let left = ms;
  do {
    const step = Math.min(left, 500);
    await vi.advanceTimersByTimeAsync(step);
    await drain();
    left -= step;
  } while (left > 0);
}

/** Sets a cookie as a site (or analytics.js) would have. */
export function setCookie(cookie: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: tests set cookies the way pages do.
  document.cookie = cookie;
}

export function clearCookies(): void {
  for (const pair of document.cookie.split(/;\s*/)) {
    const name = pair.split('=')[0];
    if (name) setCookie(`${name}=; path=/; max-age=0`);
  }
}

/** Fresh storage and fake time for each test; msw for the file. */
export function useBrowserTestbed(): FakeWeft {
  const weft = new FakeWeft();
  beforeAll(() => weft.server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    localStorage.clear();
    clearCookies();
    vi.useFakeTimers({
      now: new Date('2026-11-29T12:00:00.000Z'),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
    weft.requests.length = 0;
    weft.stored.clear();
    weft.script = () => undefined;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close()));
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  afterAll(() => weft.server.close());
  return weft;
}

export function status(code: number, headers: Record<string, string> = {}, body: JsonBodyType = {}): Response {
  return HttpResponse.json(body, { status: code, headers });
}
