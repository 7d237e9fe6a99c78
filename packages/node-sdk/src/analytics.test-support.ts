// A fake Weft server behind msw: the real fetch transport sends to it over Node's global fetch.
// It answers from a script and stores each messageId once, as the real server does.
import type { SegmentEvent } from '@weft/core';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { Analytics } from './analytics.js';
import type { AnalyticsOptions } from './options.js';
import type { AnalyticsReports, ReportName } from './report-emitter.js';

export const HOST = 'http://weft.test';
export const WRITE_KEY = 'wk_unit_test';

export interface Received {
  batch: SegmentEvent[];
  authorization: string | null;
}

/** What to answer to the n-th request (0-based); `undefined` means 200. */
export type Script = (request: Received, index: number) => Response | undefined | Promise<Response | undefined>;

export class MswWeft {
  readonly requests: Received[] = [];
  readonly stored = new Map<string, SegmentEvent>();
  script: Script = () => undefined;

  readonly server = setupServer(
    http.post(`${HOST}/v1/batch`, async ({ request }) => {
      const body = (await request.json()) as { batch: SegmentEvent[] };
      const received = { batch: body.batch, authorization: request.headers.get('authorization') };
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

/** Starts msw for the file and fake time for each test. */
export function useMswWeft(): MswWeft {
  const weft = new MswWeft();
  beforeAll(() => weft.server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00.000Z') });
    weft.requests.length = 0;
    weft.stored.clear();
    weft.script = () => undefined;
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => weft.server.close());
  return weft;
}

export function status(code: number, headers: Record<string, string> = {}, body: JsonBodyType = {}): Response {
  return HttpResponse.json(body, { status: code, headers });
}

export interface Client {
  analytics: Analytics;
  reports: { [K in ReportName]: AnalyticsReports[K][] };
  deliveredIds(): string[];
  droppedIds(code?: string): string[];
  /** Tracks `count` events and returns their messageIds. */
  track(count: number): string[];
}

const clients: Analytics[] = [];
afterEach(async () => {
  // Close what a test left open, so its exit hook goes away; no request is pending by then.
  for (const analytics of clients.splice(0)) void analytics.closeAndFlush({ timeout: 0 });
});

export function createClient(options: Partial<AnalyticsOptions> = {}): Client {
  let seed = 0;
  const analytics = new Analytics(
    { writeKey: WRITE_KEY, host: HOST, ...options },
    // Through fetch, which msw intercepts on fake time; the default node:http transport runs
    // against real sockets in transport/http-transport.test.ts and the tests under test/.
    { random: () => (seed = (seed + 0.37) % 1), fetch: (input, init) => globalThis.fetch(input, init) },
  );
  clients.push(analytics);
  const reports: Client['reports'] = { delivered: [], retry: [], dropped: [], error: [] };
  analytics.on('delivered', (report) => reports.delivered.push(report));
  analytics.on('retry', (report) => reports.retry.push(report));
  analytics.on('dropped', (report) => reports.dropped.push(report));
  analytics.on('error', (report) => reports.error.push(report));
  let n = 0;
  return {
    analytics,
    reports,
    deliveredIds: () => reports.delivered.flatMap((report) => report.messageIds),
    droppedIds: (code) =>
      reports.dropped
        .filter((report) => code === undefined || report.reason.code === code)
        .flatMap((report) => report.events.map((event) => event.messageId)),
    track(count) {
      return Array.from({ length: count }, () => {
        const messageId = `msg-${String(++n).padStart(5, '0')}`;
        void analytics.track({ userId: 'user-1', event: 'Test Event', messageId });
        return messageId;
      });
    },
  };
}

/** Flushes while fake time runs, and returns what the flush resolved with. */
export async function flushOnFakeTime(analytics: Analytics) {
  const flushed = analytics.flush();
  await vi.runAllTimersAsync();
  return flushed;
}
