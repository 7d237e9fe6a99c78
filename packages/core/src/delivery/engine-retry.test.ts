import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../queue/memory-store.js';
import { flushOnFakeTime, setupEngine, trackEvent, useFakeTime } from './engine.test-support.js';
import { networkError, ok, status } from './fake-server.test-support.js';
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
    expect(dropped?.type === 'dropped' && dropped.reason.message).toMatch(/4 attempts.*HTTP 500/);
  });

  it('drops once the retry time budget is spent, even with attempts left', async () => {
    const { engine, track, droppedIds } = setupEngine({
      flushAt: 1,
      retry: { maxAttempts: 1_000, maxRetryTimeMs: 60_000, maxRetryAfterMs: 20_000 },
      answer: () => status(503, '20'),
    });
    const [id] = track(1);
    await flushOnFakeTime(engine);
    expect(droppedIds('retry_limit')).toEqual([id]);
    // 20 s, 40 s, 60 s of waiting fit the budget; a fourth wait would not.
    expect(Date.now() - new Date('2026-11-29T12:00:00.000Z').getTime()).toBe(60_000);
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
      retry: { maxAttempts: 3, maxRetryTimeMs: 60_000 },
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

  it('carries attempts across restarts, so a restart loop cannot retry forever', async () => {
    const store = createMemoryStore();
    for (let restart = 0; restart < 3; restart++) {
      const { engine } = setupEngine({ flushAt: 1, store, answer: () => status(500) });
      if (restart === 0) engine.enqueue(trackEvent());
      await engine.ready;
      await vi.advanceTimersByTimeAsync(0);
      await engine.close();
    }
    expect((await store.load())[0]?.attempts).toBe(3);
  });
});
