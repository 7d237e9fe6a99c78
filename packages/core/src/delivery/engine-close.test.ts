import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../queue/memory-store.js';
import type { QueueStore } from '../queue/queue-store.js';
import { setupEngine, useFakeTime } from './engine.test-support.js';
import { ok, status } from './fake-server.test-support.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

/** A store whose removes take 50 ms, as a disk or IndexedDB write might. */
function slowRemoveStore(): QueueStore {
  const inner = createMemoryStore();
  return {
    load: () => inner.load(),
    put: (items) => inner.put(items),
    remove: (ids) => new Promise((resolve) => setTimeout(() => resolve(inner.remove(ids)), 50)),
  };
}

describe('close', () => {
  it('resolves only once the store holds no delivered event any more', async () => {
    const store = slowRemoveStore();
    const { engine, track } = setupEngine({ flushAt: 2, store });
    track(2);
    await vi.advanceTimersByTimeAsync(0);
    let isClosed = false;
    const closed = engine.close().then(() => (isClosed = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(isClosed).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await closed;
    expect(await store.load()).toEqual([]);
  });

  it('waits for a request in flight and applies its answer', async () => {
    const store = createMemoryStore();
    const { engine, track, deliveredIds } = setupEngine({
      flushAt: 1,
      store,
      answer: () => new Promise((resolve) => setTimeout(() => resolve(ok()), 1_000)),
    });
    const [id] = track(1);
    await vi.advanceTimersByTimeAsync(0);
    const closed = engine.close();
    await vi.advanceTimersByTimeAsync(1_000);
    await closed;
    expect(deliveredIds()).toEqual([id]);
    expect(await store.load()).toEqual([]);
  });

  it('keeps unsent events in the store for the next start', async () => {
    const store = createMemoryStore();
    const { engine, track, droppedIds } = setupEngine({ flushAt: 100, store });
    const ids = track(3);
    await engine.close();
    expect(droppedIds()).toEqual([]);
    expect((await store.load()).map((item) => item.id)).toEqual(ids);
  });

  it('with dropRemaining, reports what is left as dropped (shutdown) and removes it', async () => {
    const store = createMemoryStore();
    const { engine, track, droppedIds, reports } = setupEngine({ flushAt: 1, store, answer: () => status(503, '60') });
    const ids = track(2);
    await vi.advanceTimersByTimeAsync(0);
    await engine.close({ dropRemaining: true });
    expect(droppedIds('shutdown')).toEqual(ids);
    expect(reports.find((report) => report.type === 'dropped')).toMatchObject({
      reason: { code: 'shutdown', message: expect.stringContaining('closed') },
    });
    expect(await store.load()).toEqual([]);
    expect(engine.size).toBe(0);
  });

  it('answers a flush called after close at once, as incomplete', async () => {
    const { engine, track } = setupEngine({ flushAt: 100 });
    track(2);
    await engine.close();
    expect(await engine.flush()).toEqual({ isComplete: false, pending: 2 });
  });

  it('sends nothing more once closed', async () => {
    const { engine, track, server } = setupEngine({ flushAt: 100, flushIntervalMs: 1_000 });
    track(2);
    await engine.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('bytes', () => {
  it('counts the JSON bytes of every queued event, in flight included', async () => {
    const { engine, track } = setupEngine({ flushAt: 2, answer: () => new Promise(() => {}) });
    track(3, { text: 'é' });
    const perEvent = engine.bytes / 3;
    expect(Number.isInteger(perEvent)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.bytes).toBe(perEvent * 3);
  });
});

describe('close with a timeout', () => {
  it('stops waiting for an unanswered request at timeoutMs and reports its events once, as shutdown', async () => {
    const { engine, track, reports } = setupEngine({
      flushAt: 1,
      requestTimeoutMs: 60_000,
      answer: () => new Promise((resolve) => setTimeout(() => resolve(ok()), 30_000)),
    });
    const [id] = track(1);
    await vi.advanceTimersByTimeAsync(0);
    const closed = engine.close({ dropRemaining: true, timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await closed;
    // The late 200 changes nothing: the event was reported once, dropped.
    await vi.advanceTimersByTimeAsync(30_000);
    const settled = reports.filter((report) => report.type === 'delivered' || report.type === 'dropped');
    expect(settled).toEqual([
      expect.objectContaining({ type: 'dropped', events: [expect.objectContaining({ messageId: id })] }),
    ]);
  });
});
