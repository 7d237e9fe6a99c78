// @vitest-environment jsdom
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { HOST, newClient, settle, status, useBrowserTestbed, WRITE_KEY } from './browser.test-support.js';

const weft = useBrowserTestbed();
const QUEUE_KEY = `weft:v1:queue:${WRITE_KEY}`;

/** Resolves `flush()` while fake time runs on. */
async function flushWithin(client: { flush(): Promise<unknown> }, ms: number) {
  const flushed = client.flush();
  await settle(ms);
  return flushed;
}

describe('delivery', () => {
  it('sends a tracked event to /v1/batch with Basic auth and sentAt', async () => {
    const { client } = newClient();
    await client.track('Signed Up', { plan: 'pro' });
    expect(await client.flush()).toEqual({ isComplete: true, pending: 0 });
    expect(weft.requests).toHaveLength(1);
    expect(weft.requests[0]?.authorization).toBe(`Basic ${btoa(`${WRITE_KEY}:`)}`);
    expect(weft.requests[0]?.batch[0]).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
    });
    expect(weft.requests[0]?.body.sentAt).toBe(new Date().toISOString());
  });

  it('sends on its own once flushAt events are queued, or after flushInterval', async () => {
    const { client } = newClient({ flushAt: 2, flushInterval: 1_000 });
    await client.track('One');
    await settle();
    expect(weft.requests).toHaveLength(0);
    await client.track('Two');
    await settle();
    expect(weft.requests).toHaveLength(1);
    await client.track('Three');
    await settle(999);
    expect(weft.requests).toHaveLength(1);
    await settle(1);
    expect(weft.sentIds).toHaveLength(3);
  });

  it('keeps queued events for the next client on the same storage (a reload), and sends them', async () => {
    const first = newClient();
    await Promise.all([first.client.track('A'), first.client.track('B')]);
    await first.client.close();
    const second = newClient();
    await second.client.ready();
    // The first page's claim (10 s lease) must run out before the next page takes its events.
    await settle(13_000);
    expect(await second.client.flush()).toEqual({ isComplete: true, pending: 0 });
    expect(weft.requests.flatMap((request) => request.batch.map((event) => event.event))).toEqual(['A', 'B']);
  });

  it('removes an event from storage only once the server acknowledged it', async () => {
    weft.script = (_, index) => (index === 0 ? status(503) : undefined);
    const { client } = newClient({ storage: 'localStorage' });
    await client.track('Kept');
    const stored = () => Object.keys(JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '{}'));
    expect(stored()).toHaveLength(1);
    const flushed = client.flush();
    await settle(0);
    expect(weft.requests).toHaveLength(1);
    expect(stored()).toHaveLength(1);
    await settle(1_000);
    await flushed;
    expect(stored()).toHaveLength(0);
  });
});

describe('answers from the server (core retry policy)', () => {
  it('retries after a 500 and delivers', async () => {
    weft.script = (_, index) => (index === 0 ? status(500) : undefined);
    const { client, droppedIds } = newClient();
    await client.track('Retried');
    await flushWithin(client, 1_000);
    expect(weft.requests).toHaveLength(2);
    expect(weft.requests[1]?.batch[0]?.messageId).toBe(weft.requests[0]?.batch[0]?.messageId);
    expect(weft.stored.size).toBe(1);
    expect(droppedIds()).toEqual([]);
  });

  it('waits for Retry-After on a 503 before trying again', async () => {
    weft.script = (_, index) => (index === 0 ? status(503, { 'retry-after': '3' }) : undefined);
    const { client } = newClient();
    await client.track('Later');
    const flushed = client.flush();
    await settle(2_900);
    expect(weft.requests).toHaveLength(1);
    await settle(200);
    await flushed;
    expect(weft.requests).toHaveLength(2);
    expect(weft.stored.size).toBe(1);
  });

  it('retries a 429 after its Retry-After', async () => {
    weft.script = (_, index) => (index === 0 ? status(429, { 'retry-after': '2' }) : undefined);
    const { client, reports } = newClient();
    await client.track('Throttled');
    await flushWithin(client, 2_100);
    expect(weft.requests).toHaveLength(2);
    expect(reports.find((report) => report.type === 'retry')).toMatchObject({ delayMs: 2_000 });
  });

  it('retries after a network error', async () => {
    weft.script = (_, index) => (index === 0 ? HttpResponse.error() : undefined);
    const { client } = newClient();
    await client.track('Flaky');
    await flushWithin(client, 1_000);
    expect(weft.requests).toHaveLength(2);
    expect(weft.stored.size).toBe(1);
  });

  it('splits a batch answered 413 and drops a single event still too large', async () => {
    weft.script = (request) => (request.batch.some((event) => event.event === 'Huge') ? status(413) : undefined);
    const { client, droppedIds } = newClient();
    await Promise.all([client.track('Small'), client.track('Huge')]);
    await flushWithin(client, 0);
    expect(weft.requests.map((request) => request.batch.length)).toEqual([2, 1, 1]);
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Small']);
    expect(droppedIds('payload_too_large')).toHaveLength(1);
  });

  it('drops a batch answered 400 and reports it', async () => {
    weft.script = () => status(400);
    const { client, droppedIds } = newClient();
    await client.track('Refused');
    await flushWithin(client, 0);
    expect(weft.requests).toHaveLength(1);
    expect(droppedIds('http_error')).toHaveLength(1);
  });
});

describe('connectivity', () => {
  it('sends nothing while offline and resumes on the online event', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const { client } = newClient();
    await client.track('Offline');
    const flushed = client.flush();
    await settle(10_000);
    expect(weft.requests).toHaveLength(0);
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await settle(0);
    expect(await flushed).toEqual({ isComplete: true, pending: 0 });
    expect(weft.requests).toHaveLength(1);
  });
});

describe('storage', () => {
  it('falls back to localStorage with a warning where IndexedDB is broken', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    const { client, reports } = newClient();
    await client.track('Saved');
    expect(reports.filter((report) => report.type === 'warning')).toHaveLength(1);
    expect(localStorage.getItem(QUEUE_KEY)).toContain('Saved');
  });

  it('falls back to memory with a warning where localStorage fails too, and still delivers', async () => {
    vi.stubGlobal('indexedDB', undefined);
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const { client, reports } = newClient();
    await client.track('In memory');
    const warnings = reports.flatMap((report) => (report.type === 'warning' ? [report.message] : []));
    expect(warnings).toEqual([
      expect.stringMatching(/^indexedDB is not usable .*; using localStorage$/),
      expect.stringMatching(/^localStorage is not usable .*; using memory \(events will not survive a reload\)$/),
    ]);
    await client.flush();
    expect(weft.stored.size).toBe(1);
  });

  it('warns on the console when no onReport is given', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client } = newClient({ onReport: undefined });
    await client.track('Logged');
    expect(warn).toHaveBeenCalledWith(
      '[weft]',
      expect.objectContaining({ type: 'warning', message: expect.stringContaining('indexedDB is not usable') }),
    );
  });

  it('drops nothing on a quota error: the event stays in memory, an error is reported, and it is delivered', async () => {
    const { client, reports, droppedIds } = newClient({ storage: 'localStorage' });
    await client.ready();
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await client.track('Too much');
    expect(reports.filter((report) => report.type === 'error')).toHaveLength(1);
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Too much']);
    expect(droppedIds()).toEqual([]);
  });

  it('drops nothing when IndexedDB refuses a write (quota): reported, kept in memory, delivered', async () => {
    const { client, reports, droppedIds } = newClient();
    await client.ready();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await client.track('Refused write');
    expect(put).toHaveBeenCalled();
    expect(reports.filter((report) => report.type === 'error')).toHaveLength(1);
    put.mockRestore();
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Refused write']);
    expect(droppedIds()).toEqual([]);
  });

  it('drops the oldest events past maxQueueItems and reports them', async () => {
    const { client, droppedIds } = newClient({ maxQueueItems: 2 });
    for (const name of ['1', '2', '3']) await client.track(name);
    expect(droppedIds('queue_full')).toHaveLength(1);
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['2', '3']);
  });
});

describe('host', () => {
  it('accepts a base URL with a trailing slash', async () => {
    const { client } = newClient({ host: `${HOST}/` });
    await client.track('Slash');
    await client.flush();
    expect(weft.requests).toHaveLength(1);
  });

  it('refuses a host that is not an http(s) URL, and a missing write key', () => {
    expect(() => newClient({ host: 'weft.test' })).toThrow(/host/);
    expect(() => newClient({ writeKey: '' })).toThrow(/writeKey/);
  });
});

describe('options', () => {
  it('keeps the default of an option given as undefined', async () => {
    const { client } = newClient({ flushAt: 1, leaseMs: undefined, leaseRenewMs: undefined, flushInterval: undefined });
    await client.track('Defaults');
    await settle(0);
    expect(weft.requests).toHaveLength(1);
  });
});
