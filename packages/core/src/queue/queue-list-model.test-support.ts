// The reference the queue contract checks each queue against: the queue's rules on a plain array,
// and a seeded random source so that a failure can be replayed. Not part of the build.
import type { QueueLimits } from './queue.js';
import { compareQueueItems, type QueueItem } from './queue-store.js';

interface ModelEntry {
  item: QueueItem;
  seq: number;
  isInFlight: boolean;
}

/** The queue's rules on a plain array, walked from its head at every step: the reference. */
export function createListModel(limits: QueueLimits) {
  let entries: ModelEntry[] = [];
  let nextSeq = 0;
  const bytes = () => entries.reduce((sum, entry) => sum + entry.item.bytes, 0);
  const find = (id: string) => entries.find((entry) => entry.item.id === id);
  return {
    get entries() {
      return entries;
    },
    get nextSeq() {
      return nextSeq;
    },
    add(item: QueueItem) {
      if (item.bytes > limits.maxBytes) return { isQueued: false, evicted: [item.id] };
      const evicted: string[] = [];
      while (entries.length >= limits.maxItems || bytes() + item.bytes > limits.maxBytes) {
        const oldest = entries.find((entry) => !entry.isInFlight);
        if (!oldest) return { isQueued: false, evicted: [item.id] };
        entries = entries.filter((entry) => entry !== oldest);
        evicted.push(oldest.item.id);
      }
      entries.push({ item, seq: nextSeq++, isInFlight: false });
      return { isQueued: true, evicted };
    },
    takeBatch(batch: { maxEvents: number; maxBytes: number; separatorBytes: number }) {
      const taken: ModelEntry[] = [];
      let total = 0;
      for (const entry of entries.filter((candidate) => !candidate.isInFlight)) {
        const added = entry.item.bytes + (taken.length > 0 ? batch.separatorBytes : 0);
        if (taken.length > 0 && (taken.length >= batch.maxEvents || total + added > batch.maxBytes)) break;
        taken.push(entry);
        total += added;
      }
      for (const entry of taken) entry.isInFlight = true;
      return taken.map((entry) => entry.item.id);
    },
    release(items: QueueItem[]) {
      for (const item of items) {
        const entry = find(item.id);
        if (entry) entry.isInFlight = false;
      }
    },
    remove(items: QueueItem[]) {
      const ids = new Set(items.map((item) => item.id));
      entries = entries.filter((entry) => !ids.has(entry.item.id));
    },
    adopt(items: QueueItem[]) {
      const adopted = items.filter((item) => !find(item.id)).sort(compareQueueItems);
      const base = (entries[0]?.seq ?? nextSeq) - adopted.length;
      entries = [...adopted.map((item, index) => ({ item, seq: base + index, isInFlight: false })), ...entries];
      return adopted.map((item) => item.id);
    },
    counts() {
      const ready = entries.filter((entry) => !entry.isInFlight);
      return [entries.length, bytes(), ready.length, ready.reduce((sum, entry) => sum + entry.item.bytes, 0)];
    },
    countBefore: (mark: number) => entries.filter((entry) => entry.seq < mark).length,
  };
}

/** mulberry32: the same sequence for a seed, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
