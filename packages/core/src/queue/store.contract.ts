// The behaviour every QueueStore must have. Each implementation's test file calls
// `testQueueStore` (memory here; IndexedDB and disk stores in the SDKs). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { QueueItem, QueueStore } from './queue-store.js';

export interface StoreContractOptions {
  /** A fresh, empty store. */
  create(): Promise<QueueStore> | QueueStore;
  /** A second instance over the same backing storage, for stores that outlive the process. */
  reopen?(store: QueueStore): Promise<QueueStore> | QueueStore;
}

export function makeItem(id: string, overrides: Partial<QueueItem> = {}): QueueItem {
  const json = JSON.stringify({ type: 'track', event: 'Contract', messageId: id });
  return { id, json, bytes: json.length, attempts: 0, retryTimeMs: 0, enqueuedAt: 1_000, ...overrides };
}

export function testQueueStore(name: string, options: StoreContractOptions): void {
  describe(`QueueStore contract: ${name}`, () => {
    it('loads nothing from a new store', async () => {
      const store = await options.create();
      expect(await store.load()).toEqual([]);
    });

    it('loads what was put, oldest first, ties broken by id', async () => {
      const store = await options.create();
      const items = [
        makeItem('c', { enqueuedAt: 2 }),
        makeItem('b', { enqueuedAt: 1 }),
        makeItem('a', { enqueuedAt: 2 }),
      ];
      await store.put(items);
      expect((await store.load()).map((item) => item.id)).toEqual(['b', 'a', 'c']);
    });

    it('replaces an item put again under the same id, keeping one copy', async () => {
      const store = await options.create();
      await store.put([makeItem('a')]);
      await store.put([makeItem('a', { attempts: 3, retryTimeMs: 1_500 })]);
      expect(await store.load()).toEqual([makeItem('a', { attempts: 3, retryTimeMs: 1_500 })]);
    });

    it('removes by id and ignores ids it does not hold', async () => {
      const store = await options.create();
      await store.put([makeItem('a'), makeItem('b'), makeItem('c')]);
      await store.remove(['b', 'missing']);
      expect((await store.load()).map((item) => item.id)).toEqual(['a', 'c']);
    });

    it('keeps what it stored apart from the objects it was given and returned', async () => {
      const store = await options.create();
      const item = makeItem('a');
      await store.put([item]);
      item.attempts = 99;
      const [loaded] = await store.load();
      expect(loaded?.attempts).toBe(0);
      if (loaded) loaded.attempts = 42;
      expect((await store.load())[0]?.attempts).toBe(0);
    });

    it('keeps multi-byte text intact', async () => {
      const store = await options.create();
      const json = JSON.stringify({ name: '日本語 🎉 café', lone: '\ud800' });
      await store.put([makeItem('a', { json, bytes: 30 })]);
      expect((await store.load())[0]?.json).toBe(json);
    });

    it('handles a thousand items in one call each way', async () => {
      const store = await options.create();
      const items = Array.from({ length: 1_000 }, (_, index) => makeItem(`id-${String(index).padStart(4, '0')}`));
      await store.put(items);
      expect(await store.load()).toHaveLength(1_000);
      await store.remove(items.slice(0, 999).map((item) => item.id));
      expect((await store.load()).map((item) => item.id)).toEqual(['id-0999']);
    });

    const { reopen } = options;
    if (reopen) {
      it('keeps its items for the next instance over the same storage', async () => {
        const store = await options.create();
        await store.put([makeItem('a', { attempts: 2 }), makeItem('b')]);
        await store.remove(['b']);
        const reopened = await reopen(store);
        expect(await reopened.load()).toEqual([makeItem('a', { attempts: 2 })]);
      });
    }
  });
}
