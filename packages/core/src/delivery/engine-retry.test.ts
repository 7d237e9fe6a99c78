import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../queue/memory-store.js';
import { flushOnFakeTime, setupEngine, trackEvent, useFakeTime } from './engine.test-support.js';
import { networkError, ok, type ReceivedBatch, status } from './fake-server.test-support.js';
import type { Connectivity } from './transport.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const ONE_HOUR = 3_600_000;

describe('retries', () => {
  it('keeps an event that the server answered 503 for, and delivers it once with the same messageId', async () => {
    const { engine, server, track, reports } = setupEngine({
      flushAt: 1,
      answer: (_request, index) => (index < 3 ? status(503) : ok()),
    });
    const [id] = track(1);
    await flushOnFakeTime(engine);
    expect(server.sentMessageIds).toEqual([id, id, id, id]);
    expect(server.stored.size).toBe(1);
    const retries = reports.filter((report) => report.type === 'retry');
    expect(retries.map((report) => report.type === 'retry' && report.attempt)).toEqual([1, 2, 3]);
  });

  it('retries a request that got no answer within its timeout; the server dedupes the late one', async () => {
    const { engine, server, track } = setupEngine({
      flushAt: 1,
      requestTimeoutMs: 1_000,
      // The first answer arrives after the timeout: stored by the server, but too late for the client.
      answer: (_request, index) =>
        index === 0 ? new Promise((resolve) => setTimeout(() => resolve(ok()), 5_000)) : ok(),
    });
    const [id] = track(1);
    const flushed = engine.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await flushed).toEqual({ isComplete: true, pending: 0 });
    expect(server.sentMessageIds).toEqual([id, id]);
    expect(server.stored.size).toBe(1);
    expect(server.duplicatesAbsorbed).toBe(1);
  });

  it('retries when the transport throws instead of answering', async () => {
    const { engine, server, track } = setupEngine({
      flushAt: 1,
      answer: (_request, index) => {
        if (index === 0) throw new Error('socket hang up');
        return ok();
      },
    });
    const [id] = track(1);
    await flushOnFakeTime(engine);
    expect([...server.stored.keys()]).toEqual([id]);
  });

  it('waits as long as Retry-After says, in seconds', async () => {
    const { server, track } = setupEngine({
      flushAt: 1,
      answer: (_request, index) => (index === 0 ? status(503, '20') : ok()),
    });
    track(1);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
  });

  it('waits until the HTTP-date a Retry-After names', async () => {
    const { server, track } = setupEngine({
      flushAt: 1,
      answer: (_request, index) => (index === 0 ? status(429, new Date(Date.now() + 45_000).toUTCString()) : ok()),
    });
    track(1);
    await vi.advanceTimersByTimeAsync(44_000);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests).toHaveLength(2);
  });

  it('caps a Retry-After at maxRetryAfterMs', async () => {
    const { server, track } = setupEngine({
      flushAt: 1,
      retry: { maxRetryAfterMs: 10_000 },
      answer: (_request, index) => (index === 0 ? status(503, '86400') : ok()),
    });
    track(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(2);
  });

  it('holds back the whole queue during a backoff, not just the failed batch', async () => {
    const { server, track } = setupEngine({
      flushAt: 1,
      maxConcurrentRequests: 4,
      answer: (_request, index) => (index === 0 ? status(503, '30') : ok()),
    });
    track(1);
    await vi.advanceTimersByTimeAsync(0);
    track(3);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.stored.size).toBe(4);
  });

  it('drops after maxAttempts with the last failure as the reason', async () => {
    const { engine, server, track, reports, droppedIds } = setupEngine({
      flushAt: 1,
      retry: { maxAttempts: 4 },
      answer: () => status(500),
    });
    const [id] = track(1);
    expect(await flushOnFakeTime(engine)).toEqual({ isComplete: true, pending: 0 });
    expect(server.requests).toHaveLength(4);
    expect(droppedIds('retry_limit')).toEqual([id]);
    const dropped = reports.find((report) => report.type === 'dropped');
    expect(dropped?.type === 'dropped' && dropped.reason.message).toMatch(
      /^maxAttempts \(4\) reached.*4 attempts.*HTTP 500/,
    );
  });

  it('keeps retrying through a 6-hour outage, far past any attempt count, and delivers once it ends', async () => {
    let isDown = true;
    const { engine, server, track, droppedIds } = setupEngine({
      flushAt: 10,
      answer: () => (isDown ? status(503) : ok()),
    });
    const ids = track(10);
    await vi.advanceTimersByTimeAsync(6 * ONE_HOUR);
    expect(server.requests.length).toBeGreaterThan(60);
    expect(droppedIds()).toEqual([]);
    isDown = false;
    await flushOnFakeTime(engine);
    expect([...server.stored.keys()].sort()).toEqual(ids);
  });

  it('caps the backoff at 5 minutes, so the end of an outage is noticed within 5 minutes', async () => {
    let isDown = true;
    const { server, track } = setupEngine({ flushAt: 1, answer: () => (isDown ? networkError() : ok()) });
    track(1);
    await vi.advanceTimersByTimeAsync(3 * ONE_HOUR);
    isDown = false;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(server.stored.size).toBe(1);
  });

  it('drops an event still failing past maxEventAgeMs, and says so in the reason', async () => {
    const { engine, track, droppedIds, reports } = setupEngine({
      flushAt: 1,
      retry: { maxEventAgeMs: ONE_HOUR },
      answer: () => status(503),
    });
    const start = Date.now();
    const [id] = track(1);
    await flushOnFakeTime(engine);
    expect(droppedIds('retry_limit')).toEqual([id]);
    const dropped = reports.find((report) => report.type === 'dropped');
    expect(dropped?.type === 'dropped' && dropped.reason.message).toMatch(
      /^maxEventAgeMs \(3600000\) reached after \d+ attempts.*HTTP 503/,
    );
    // Dropped before a wait would take it past the hour, and not long before: waits are at most 5 min.
    expect(Date.now() - start).toBeLessThanOrEqual(ONE_HOUR);
    expect(Date.now() - start).toBeGreaterThan(ONE_HOUR - 300_000);
  });

  it("measures age from when the SDK queued the event, not from the event's timestamp", async () => {
    const { engine, server, droppedIds } = setupEngine({
      flushAt: 1,
      retry: { maxEventAgeMs: ONE_HOUR },
      answer: (_request, index) => (index < 3 ? status(503) : ok()),
    });
    const event = { ...trackEvent(), timestamp: new Date(Date.now() - 48 * ONE_HOUR).toISOString() };
    engine.enqueue(event);
    await flushOnFakeTime(engine);
    expect(droppedIds()).toEqual([]);
    expect([...server.stored.keys()]).toEqual([event.messageId]);
  });

  it('measures age on the monotonic clock: a wall clock set a day ahead drops nothing', async () => {
    let isDown = true;
    const { engine, server, track, droppedIds } = setupEngine({
      flushAt: 1,
      retry: { maxEventAgeMs: ONE_HOUR },
      answer: () => (isDown ? status(503) : ok()),
    });
    const [id] = track(1);
    await vi.advanceTimersByTimeAsync(1_000);
    vi.setSystemTime(Date.now() + 24 * ONE_HOUR);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(droppedIds()).toEqual([]);
    isDown = false;
    await flushOnFakeTime(engine);
    expect([...server.stored.keys()]).toEqual([id]);
  });

  it('does not count 429 answers as attempts', async () => {
    const { engine, track, droppedIds, server } = setupEngine({
      flushAt: 1,
      retry: { maxAttempts: 2 },
      answer: (_request, index) => (index < 5 ? status(429, '1') : ok()),
    });
    const [id] = track(1);
    await flushOnFakeTime(engine);
    expect(droppedIds()).toEqual([]);
    expect([...server.stored.keys()]).toEqual([id]);
  });

  it('never retries in a tight loop, whatever the server says', async () => {
    const { server, track } = setupEngine({ flushAt: 1, answer: () => status(503, '0') });
    track(1);
    await vi.advanceTimersByTimeAsync(1_000);
    // minDelayMs (100 ms) between attempts at the least.
    expect(server.requests.length).toBeLessThanOrEqual(11);
  });
});

describe('a batch the server keeps failing on (5xx)', () => {
  const isPoisoned = (request: ReceivedBatch) =>
    request.batch.some((event) => 'properties' in event && event.properties?.poison === true);

  it('halves it until the one event the server chokes on is alone, and delivers the rest within 5 minutes', async () => {
    const { server, track, deliveredIds, droppedIds } = setupEngine({
      flushAt: 100,
      answer: (request) => (isPoisoned(request) ? status(500) : ok()),
    });
    const before = track(40);
    const [poisoned] = track(1, { poison: true });
    const after = track(59);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(deliveredIds().sort()).toEqual([...before, ...after].sort());
    expect(droppedIds()).toEqual([]);
    expect(server.stored.has(poisoned ?? '')).toBe(false);
    const sizes = server.requests.map((request) => request.batch.length);
    expect(sizes.slice(0, 3)).toEqual([100, 100, 50]);
  });

  it('lets events queued later pass the one set aside, which retries alone until its age limit', async () => {
    const { engine, server, track, deliveredIds, droppedIds } = setupEngine({
      flushAt: 5,
      answer: (request) => (isPoisoned(request) ? status(500) : ok()),
    });
    const [poisoned] = track(1, { poison: true });
    track(4);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const later = track(5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deliveredIds()).toEqual(expect.arrayContaining(later));
    const alone = server.requests.filter((request) => request.batch.length === 1 && isPoisoned(request));
    expect(alone.length).toBeGreaterThan(1);
    await flushOnFakeTime(engine);
    expect(droppedIds('retry_limit')).toEqual([poisoned]);
    expect(engine.size).toBe(0);
  });

  it('does not split a batch the network fails or the server rate-limits', async () => {
    const { server, track } = setupEngine({
      flushAt: 10,
      answer: (_request, index) => (index % 2 === 0 ? networkError() : status(429, '1')),
    });
    track(10);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(new Set(server.requests.map((request) => request.batch.length))).toEqual(new Set([10]));
  });
});

describe('answers that end a batch', () => {
  it.each([400, 401, 403, 404, 422, 501, 505])('drops the batch on HTTP %i with the server reason', async (code) => {
    const { engine, track, reports } = setupEngine({
      flushAt: 2,
      answer: () => status(code, undefined, { error: { code: 'bad_thing', message: 'userId names nobody' } }),
    });
    const ids = track(2);
    await flushOnFakeTime(engine);
    const dropped = reports.find((report) => report.type === 'dropped');
    expect(dropped).toMatchObject({
      type: 'dropped',
      reason: { code: 'http_error', status: code, serverCode: 'bad_thing', message: 'userId names nobody' },
    });
    expect(dropped?.type === 'dropped' && dropped.events.map((event) => event.messageId)).toEqual(ids);
  });

  it('splits a batch the server found too large (413) down to the single event it refuses', async () => {
    const { engine, server, track, droppedIds, deliveredIds } = setupEngine({
      flushAt: 8,
      // The server refuses any request holding the poisoned event, and any over 3 events.
      answer: (request) =>
        request.batch.length > 3 ||
        request.batch.some((event) => 'properties' in event && event.properties?.poison === true)
          ? status(413)
          : ok(),
    });
    const before = track(5);
    const [poisoned] = track(1, { poison: true });
    const after = track(2);
    await flushOnFakeTime(engine);
    expect(droppedIds('payload_too_large')).toEqual([poisoned]);
    expect(deliveredIds().sort()).toEqual([...before, ...after].sort());
    expect(server.stored.size).toBe(7);
    expect(server.requests.map((request) => request.batch.length)).toEqual([8, 4, 2, 2, 4, 2, 1, 1, 2]);
  });

  it('reports events a 200 lists under rejected as dropped, never delivered', async () => {
    const { engine, track, droppedIds, deliveredIds, reports } = setupEngine({
      flushAt: 3,
      answer: (request) =>
        ok({
          success: true,
          rejected: [
            { index: 1, messageId: request.batch[1]?.messageId, code: 'invalid_event', message: 'userId is empty' },
          ],
        }),
    });
    const [first, second, third] = track(3);
    await flushOnFakeTime(engine);
    expect(droppedIds('rejected')).toEqual([second]);
    expect(deliveredIds()).toEqual([first, third]);
    const dropped = reports.find((report) => report.type === 'dropped');
    expect(dropped).toMatchObject({ reason: { serverCode: 'invalid_event', message: 'userId is empty' } });
  });
});

describe('offline', () => {
  function fakeConnectivity(isOnline: boolean) {
    const listeners = new Set<() => void>();
    const connectivity: Connectivity & { set(online: boolean): void } = {
      isOnline: () => isOnline,
      onOnline: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      set(online) {
        isOnline = online;
        if (online) for (const listener of listeners) listener();
      },
    };
    return connectivity;
  }

  it('spends no retry budget during an offline hour, and sends when the network returns', async () => {
    const connectivity = fakeConnectivity(true);
    const { engine, server, track, droppedIds } = setupEngine({
      flushAt: 1,
      connectivity,
      retry: { maxAttempts: 3, maxEventAgeMs: 60_000 },
      answer: () => (connectivity.isOnline() ? ok() : networkError()),
    });
    connectivity.set(false);
    const ids = track(3);
    await vi.advanceTimersByTimeAsync(ONE_HOUR);
    expect(droppedIds()).toEqual([]);
    expect(server.stored.size).toBe(0);
    connectivity.set(true);
    await flushOnFakeTime(engine);
    expect([...server.stored.keys()]).toEqual(ids);
  });

  it('does not count a failure the transport marks offline, even without a connectivity signal', async () => {
    let isOffline = true;
    const { engine, server, track, droppedIds } = setupEngine({
      flushAt: 1,
      retry: { maxAttempts: 2, offlineProbeMs: 30_000 },
      answer: () => (isOffline ? networkError(true) : ok()),
    });
    const [id] = track(1);
    await vi.advanceTimersByTimeAsync(ONE_HOUR);
    // One probe every 30 s, no faster.
    expect(server.requests.length).toBeLessThanOrEqual(121);
    expect(droppedIds()).toEqual([]);
    isOffline = false;
    await flushOnFakeTime(engine);
    expect([...server.stored.keys()]).toEqual([id]);
  });
});

describe('restarts', () => {
  it('sends what a previous engine left in the store, with its attempt count', async () => {
    const store = createMemoryStore();
    const first = setupEngine({ flushAt: 1, store, answer: () => status(503, '60') });
    const ids = first.track(2);
    await vi.advanceTimersByTimeAsync(0);
    await first.engine.close();
    await vi.advanceTimersByTimeAsync(0);
    const stored = await store.load();
    expect(stored.map((item) => item.id)).toEqual(ids);
    expect(stored[0]?.attempts).toBe(1);

    const second = setupEngine({ flushAt: 100, store });
    await second.engine.ready;
    await second.engine.flush();
    expect([...second.server.stored.keys()]).toEqual(ids);
    expect(await store.load()).toEqual([]);
  });

  it("carries an event's age across restarts, so a restart loop cannot retry it forever", async () => {
    const store = createMemoryStore();
    const event = trackEvent();
    for (let restart = 0; restart < 3; restart++) {
      const { engine } = setupEngine({
        flushAt: 1,
        store,
        retry: { maxEventAgeMs: ONE_HOUR },
        answer: () => status(500),
      });
      if (restart === 0) engine.enqueue(event);
      await engine.ready;
      await vi.advanceTimersByTimeAsync(0);
      await engine.close();
      // The process is gone for 25 minutes: its monotonic clock does not count them, the wall clock does.
      vi.setSystemTime(Date.now() + 25 * 60_000);
    }
    const last = setupEngine({ flushAt: 1, store, retry: { maxEventAgeMs: ONE_HOUR }, answer: () => status(500) });
    await last.engine.ready;
    await vi.advanceTimersByTimeAsync(0);
    expect(last.droppedIds('retry_limit')).toEqual([event.messageId]);
    expect(await store.load()).toEqual([]);
  });
});
