// The behaviour of the in-memory queue the delivery engine works from. Core's queue (indexed,
// for Node's 250,000 events) and the script-tag build's compact stand-in (src/bundle in the browser
// package) each call `testQueue`. Not part of the build.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import type { Queue, QueueLimits } from './queue.js';
import { createListModel, seededRandom } from './queue-list-model.test-support.js';
import type { QueueItem, QueueStore } from './queue-store.js';
import { makeItem } from './store.contract.js';

export type CreateQueue = (limits: QueueLimits, store?: QueueStore) => Queue;

const roomy = { maxItems: 1_000, maxBytes: 1_000_000 };
const batchLimits = { maxEvents: 100, maxBytes: 1_000_000, separatorBytes: 1 };

function sized(id: string, bytes: number): QueueItem {
  return makeItem(id, { bytes });
}

export function testQueue(name: string, createQueue: CreateQueue): void {
  describe(`${name}: Queue bounds`, () => {
    it('drops the oldest items, and says which, when the count limit is reached', () => {
      const queue = createQueue({ maxItems: 3, maxBytes: 1_000_000 });
      for (const id of ['a', 'b', 'c']) queue.add(sized(id, 10));
      const result = queue.add(sized('d', 10));
      expect(result.isQueued).toBe(true);
      expect(result.evicted.map((item) => item.id)).toEqual(['a']);
      expect(queue.takeBatch(batchLimits).map((item) => item.id)).toEqual(['b', 'c', 'd']);
    });

    it('drops as many old items as the byte limit needs', () => {
      const queue = createQueue({ maxItems: 100, maxBytes: 100 });
      for (const id of ['a', 'b', 'c', 'd']) queue.add(sized(id, 25));
      const result = queue.add(sized('big', 60));
      expect(result.evicted.map((item) => item.id)).toEqual(['a', 'b', 'c']);
      expect(queue.totalBytes).toBe(85);
    });

    it('never drops an item in flight to make room', () => {
      const queue = createQueue({ maxItems: 2, maxBytes: 1_000_000 });
      queue.add(sized('a', 10));
      queue.add(sized('b', 10));
      queue.takeBatch({ ...batchLimits, maxEvents: 1 });
      expect(queue.add(sized('c', 10)).evicted.map((item) => item.id)).toEqual(['b']);
      queue.takeBatch(batchLimits);
      const refused = queue.add(sized('d', 10));
      expect(refused).toMatchObject({ isQueued: false });
      expect(refused.evicted.map((item) => item.id)).toEqual(['d']);
    });

    it('refuses an item bigger than the whole queue without dropping anything', () => {
      const queue = createQueue({ maxItems: 10, maxBytes: 50 });
      queue.add(sized('a', 10));
      const result = queue.add(sized('huge', 51));
      expect(result.isQueued).toBe(false);
      expect(queue.size).toBe(1);
    });
  });

  describe(`${name}: Queue batches`, () => {
    it('takes the oldest ready items within the event and byte limits', () => {
      const queue = createQueue(roomy);
      for (const id of ['a', 'b', 'c', 'd']) queue.add(sized(id, 40));
      // 40 + (1 + 40) = 81 fits in 90; a third would need 122.
      expect(queue.takeBatch({ maxEvents: 10, maxBytes: 90, separatorBytes: 1 }).map((item) => item.id)).toEqual([
        'a',
        'b',
      ]);
      expect(queue.takeBatch({ maxEvents: 1, maxBytes: 90, separatorBytes: 1 }).map((item) => item.id)).toEqual(['c']);
      expect(queue.readyCount).toBe(1);
      expect(queue.readyBytes).toBe(40);
    });

    it('takes a lone item even when it alone passes the byte budget', () => {
      const queue = createQueue(roomy);
      queue.add(sized('big', 500));
      expect(queue.takeBatch({ maxEvents: 10, maxBytes: 100, separatorBytes: 1 })).toHaveLength(1);
    });

    it('puts released items back in their place at the head', () => {
      const queue = createQueue(roomy);
      for (const id of ['a', 'b', 'c']) queue.add(sized(id, 10));
      const first = queue.takeBatch({ ...batchLimits, maxEvents: 2 });
      void queue.release(first);
      expect(queue.takeBatch(batchLimits).map((item) => item.id)).toEqual(['a', 'b', 'c']);
    });

    it('says which items of a batch in flight are still queued once some were removed', () => {
      const queue = createQueue(roomy);
      for (const id of ['a', 'b', 'c']) queue.add(sized(id, 10));
      const batch = queue.takeBatch(batchLimits);
      expect(queue.stillQueued(batch)).toEqual(batch);
      void queue.remove([sized('b', 10)]);
      expect(queue.stillQueued(batch).map((item) => item.id)).toEqual(['a', 'c']);
      void queue.remove(batch);
      queue.add(sized('d', 10));
      const next = queue.takeBatch(batchLimits);
      expect(queue.stillQueued(next).map((item) => item.id)).toEqual(['d']);
    });

    it('counts what was queued before a mark', () => {
      const queue = createQueue(roomy);
      queue.add(sized('a', 1));
      const mark = queue.seqMark;
      queue.add(sized('b', 1));
      expect(queue.countBefore(mark)).toBe(1);
      void queue.remove([sized('a', 1)]);
      expect(queue.countBefore(mark)).toBe(0);
      expect(queue.oldestSeq).toBeGreaterThanOrEqual(mark);
    });
  });

  describe(`${name}: Queue persistence`, () => {
    it('loads stored items ahead of items queued while loading', async () => {
      const store = createMemoryStore();
      await store.put([makeItem('old-2', { enqueuedAt: 2 }), makeItem('old-1', { enqueuedAt: 1 })]);
      const queue = createQueue(roomy, store);
      queue.add(makeItem('new', { enqueuedAt: 5 }));
      await queue.load();
      expect(queue.takeBatch(batchLimits).map((item) => item.id)).toEqual(['old-1', 'old-2', 'new']);
    });

    it('groups a burst of adds into one store write', async () => {
      const calls: string[] = [];
      const inner = createMemoryStore();
      const store: QueueStore = {
        load: () => inner.load(),
        put: (items) => {
          calls.push(`put ${items.length}`);
          return inner.put(items);
        },
        remove: (ids) => {
          calls.push(`remove ${ids.length}`);
          return inner.remove(ids);
        },
      };
      const queue = createQueue(roomy, store);
      const stored = Array.from({ length: 50 }, (_, index) => queue.add(makeItem(`id-${index}`)).stored);
      await Promise.all(stored);
      expect(calls).toEqual(['put 50']);
      expect(await inner.load()).toHaveLength(50);
    });

    it('writes an eviction and the item that caused it', async () => {
      const store = createMemoryStore();
      const queue = createQueue({ maxItems: 2, maxBytes: 1_000_000 }, store);
      queue.add(makeItem('a'));
      queue.add(makeItem('b'));
      await queue.add(makeItem('c')).stored;
      expect((await store.load()).map((item) => item.id)).toEqual(['b', 'c']);
    });

    it('rejects `stored` when the store fails, and keeps the item queued', async () => {
      const failing: QueueStore = {
        load: async () => [],
        put: async () => {
          throw new Error('QuotaExceededError');
        },
        remove: async () => {},
      };
      const queue = createQueue(roomy, failing);
      await expect(queue.add(makeItem('a')).stored).rejects.toThrow('QuotaExceededError');
      expect(queue.has('a')).toBe(true);
      // The next write goes on after the failure.
      await expect(queue.remove([makeItem('a')])).resolves.toBeUndefined();
    });
  });

  describe(`${name}: against a plain list`, () => {
    it.each([
      { seed: 1, maxItems: 20, ops: 4_000, adoptRate: 0.03 },
      { seed: 2, maxItems: 3_000, ops: 12_000, adoptRate: 0.03 },
      // Without adopts (which rebuild the order), thousands of settled items pile up at the front.
      { seed: 3, maxItems: 300, ops: 8_000, adoptRate: 0 },
    ])(
      'agrees with a list walked from its head (seed $seed, $maxItems items)',
      ({ seed, maxItems, ops, adoptRate }) => {
        const random = seededRandom(seed);
        const pick = (n: number) => Math.floor(random() * n);
        const limits = { maxItems, maxBytes: maxItems * 60 };
        const queue = createQueue(limits);
        const model = createListModel(limits);
        let nextId = 0;
        const newItem = () => makeItem(`i${nextId++}`, { bytes: 1 + pick(100), enqueuedAt: pick(1_000) });
        const marks: number[] = [];
        /** Batches taken and not released since, as the engine holds them while their request is out. */
        let outstanding: QueueItem[][] = [];
        for (let op = 0; op < ops; op++) {
          const roll = random();
          if (roll < 0.45) {
            const item = newItem();
            const result = queue.add(item);
            const expected = model.add(item);
            expect(result.isQueued).toBe(expected.isQueued);
            expect(result.evicted.map((old) => old.id)).toEqual(expected.evicted);
          } else if (roll < 0.6) {
            const batch = { maxEvents: 1 + pick(maxItems / 2), maxBytes: 50 + pick(2_000), separatorBytes: 1 };
            const taken = queue.takeBatch(batch);
            expect(taken.map((item) => item.id)).toEqual(model.takeBatch(batch));
            if (taken.length > 0) outstanding.push(taken);
          } else if (roll < 0.7) {
            const items = model.entries
              .filter((entry) => entry.isInFlight && random() < 0.5)
              .map((entry) => entry.item);
            void queue.release(items);
            model.release(items);
            outstanding = outstanding.filter((taken) => !taken.some((item) => items.includes(item)));
          } else if (roll < 0.9) {
            if (outstanding.length > 0 && random() < 0.8) {
              // A batch's answer: what is still queued of it is settled (delivered).
              const [taken = []] = outstanding.splice(pick(outstanding.length), 1);
              const queued = new Set(model.entries.map((entry) => entry.item.id));
              const settled = queue.stillQueued(taken);
              expect(settled).toEqual(taken.filter((item) => queued.has(item.id)));
              void queue.remove(settled);
              model.remove(settled);
            } else {
              // A purge: any items, in flight or not.
              const items = model.entries.filter(() => random() < 0.05).map((entry) => entry.item);
              void queue.remove(items);
              model.remove(items);
            }
          } else if (roll < 0.9 + adoptRate) {
            const queued = model.entries.map((entry) => entry.item);
            const items = [
              newItem(),
              newItem(),
              ...(queued.length > 0 ? [queued[pick(queued.length)] as QueueItem] : []),
            ];
            expect(queue.adopt(items).map((item) => item.id)).toEqual(model.adopt(items));
          } else {
            marks.push(queue.seqMark);
            expect(queue.seqMark).toBe(model.nextSeq);
          }
          expect(queue.items().map((item) => item.id)).toEqual(model.entries.map((entry) => entry.item.id));
          expect([queue.size, queue.totalBytes, queue.readyCount, queue.readyBytes]).toEqual(model.counts());
          expect(queue.oldestReady()?.id).toBe(model.entries.find((entry) => !entry.isInFlight)?.item.id);
          expect(queue.oldestSeq).toBe(model.entries[0]?.seq);
          const mark = marks[pick(marks.length)];
          if (mark !== undefined) expect(queue.countBefore(mark)).toBe(model.countBefore(mark));
        }
      },
    );
  });
}
