import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../queue/memory-store.js';
import { makeItem } from '../queue/store.contract.js';
import { setupEngine, useFakeTime } from './engine.test-support.js';
import { status } from './fake-server.test-support.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('adopt', () => {
  it('sends adopted items ahead of what was queued, without writing them to the store again', async () => {
    const store = createMemoryStore();
    const put = vi.spyOn(store, 'put');
    const { engine, server, track } = setupEngine({ flushAt: 100, store });
    await engine.ready;
    const [queued] = track(1);
    await vi.advanceTimersByTimeAsync(0);
    put.mockClear();
    expect(engine.adopt([makeItem('adopted-b', { enqueuedAt: 2 }), makeItem('adopted-a', { enqueuedAt: 1 })])).toBe(2);
    expect(put).not.toHaveBeenCalled();
    const flushed = await engine.flush();
    expect(flushed.isComplete).toBe(true);
    expect(server.sentMessageIds).toEqual(['adopted-a', 'adopted-b', queued]);
  });

  it('skips items it already holds', async () => {
    const { engine, track } = setupEngine({ flushAt: 100 });
    await engine.ready;
    const [id = ''] = track(1);
    expect(engine.adopt([makeItem(id), makeItem('new')])).toBe(1);
    expect(engine.size).toBe(2);
  });

  it('lets a flush wait for adopted items queued before it', async () => {
    const { engine, server } = setupEngine({
      flushAt: 100,
      answer: (_, index) => (index === 0 ? status(503) : status(200)),
    });
    await engine.ready;
    // Queued a minute ago by the tab that closed: young enough to be retried.
    engine.adopt([makeItem('a', { enqueuedAt: Date.now() - 60_000 })]);
    const flushed = engine.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await flushed).toEqual({ isComplete: true, pending: 0 });
    expect(server.sentMessageIds).toEqual(['a', 'a']);
  });

  it('adopts nothing once closed', async () => {
    const { engine } = setupEngine();
    await engine.close();
    expect(engine.adopt([makeItem('a')])).toBe(0);
  });
});

describe('items', () => {
  it('lists what is queued, in flight included, as copies', async () => {
    const { engine, track } = setupEngine({ flushAt: 2, answer: () => new Promise(() => undefined) });
    await engine.ready;
    const ids = track(3);
    await vi.advanceTimersByTimeAsync(0);
    const items = engine.items();
    expect(items.map((item) => item.id)).toEqual(ids);
    if (items[0]) items[0].attempts = 99;
    expect(engine.items()[0]?.attempts).toBe(0);
  });
});

describe('purge', () => {
  it('removes the named events from the queue and the store and reports them dropped (purged)', async () => {
    const store = createMemoryStore();
    const { engine, track, droppedIds, server } = setupEngine({ flushAt: 100, store });
    await engine.ready;
    const [a, b, c] = track(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.purge([a ?? '', c ?? '', 'unknown'], 'consent revoked')).toBe(2);
    expect(droppedIds('purged')).toEqual([a, c]);
    await engine.flush();
    expect(server.sentMessageIds).toEqual([b]);
    expect(await store.load()).toEqual([]);
  });
});
