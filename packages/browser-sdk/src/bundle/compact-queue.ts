// Stands in for core's `createQueue` in dist/weft.min.js only (see scripts/iife-config.js):
// 145 B less gzipped, which the script's 10,240 B ceiling needs. @weft/browser's module build
// uses core's own.
import type { AddResult, BatchLimits, Queue, QueueLimits } from '../../../core/src/queue/queue.js';
import { compareQueueItems, type QueueItem, type QueueStore } from '../../../core/src/queue/queue-store.js';
import { createStoreWriter } from '../../../core/src/queue/store-writer.js';

interface Entry {
  item: QueueItem;
  /** Order of arrival; items loaded from the store come before everything queued since. */
  seq: number;
  isInFlight: boolean;
}

/**
 * Core's queue with the same behaviour (both pass core's queue.contract.ts), smaller: it walks its
 * Map from the head to find the oldest item and the oldest ready one, past those in flight and
 * those removed, where core's keeps cursors. That costs O(items in flight) per call, which the
 * browser's 1,000-event queue can afford and Node's 250,000 cannot. A closure rather than a class:
 * 50 B less in weft.min.js (gzip).
 */
export function createQueue(limits: QueueLimits, store?: QueueStore): Queue {
  let entries = new Map<string, Entry>();
  let nextSeq = 0;
  let bytes = 0;
  let readyItems = 0;
  let readyBytes = 0;
  const writer = store ? createStoreWriter(store) : undefined;
  const written = Promise.resolve();

  function oldestSeq(): number | undefined {
    return entries.values().next().value?.seq;
  }

  function oldestReadyEntry(): Entry | undefined {
    for (const entry of entries.values()) if (!entry.isInFlight) return entry;
    return undefined;
  }

  function deleteEntry(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    if (entry.isInFlight) setInFlight(entry, false);
    account(entry.item, -1);
  }

  function setInFlight(entry: Entry, isInFlight: boolean): void {
    if (entry.isInFlight === isInFlight) return;
    entry.isInFlight = isInFlight;
    const sign = isInFlight ? -1 : 1;
    readyItems += sign;
    readyBytes += sign * entry.item.bytes;
  }

  function account(item: QueueItem, sign: 1 | -1): void {
    bytes += sign * item.bytes;
    readyItems += sign;
    readyBytes += sign * item.bytes;
  }

  function adopt(items: QueueItem[]): QueueItem[] {
    const adopted = items.filter((item) => !entries.has(item.id)).sort(compareQueueItems);
    if (adopted.length === 0) return adopted;
    const base = (oldestSeq() ?? nextSeq) - adopted.length;
    entries = new Map([
      ...adopted.map((item, index): [string, Entry] => {
        account(item, 1);
        return [item.id, { item, seq: base + index, isInFlight: false }];
      }),
      ...entries,
    ]);
    return adopted;
  }

  function add(item: QueueItem): AddResult {
    if (item.bytes > limits.maxBytes) return { isQueued: false, evicted: [item], stored: written };
    const evicted: QueueItem[] = [];
    while (entries.size >= limits.maxItems || bytes + item.bytes > limits.maxBytes) {
      const oldest = oldestReadyEntry();
      if (!oldest) return { isQueued: false, evicted: [item], stored: written };
      deleteEntry(oldest.item.id);
      evicted.push(oldest.item);
    }
    entries.set(item.id, { item, seq: nextSeq++, isInFlight: false });
    account(item, 1);
    if (!writer) return { isQueued: true, evicted, stored: written };
    if (evicted.length > 0) void writer.remove(evicted.map((old) => old.id)).catch(() => undefined);
    return { isQueued: true, evicted, stored: writer.put(item) };
  }

  function takeBatch(batchLimits: BatchLimits): QueueItem[] {
    const batch: QueueItem[] = [];
    let batchBytes = 0;
    for (const entry of entries.values()) {
      if (entry.isInFlight) continue;
      const added = entry.item.bytes + (batch.length > 0 ? batchLimits.separatorBytes : 0);
      if (batch.length > 0 && (batch.length >= batchLimits.maxEvents || batchBytes + added > batchLimits.maxBytes)) {
        break;
      }
      batch.push(entry.item);
      batchBytes += added;
      setInFlight(entry, true);
    }
    return batch;
  }

  function release(items: QueueItem[]): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const item of items) {
      const entry = entries.get(item.id);
      if (!entry) continue;
      setInFlight(entry, false);
      if (writer) writes.push(writer.put(item));
    }
    return Promise.all(writes).then(() => undefined);
  }

  return {
    load: async () => (store ? adopt(await store.load()) : []),
    adopt,
    get size() {
      return entries.size;
    },
    get totalBytes() {
      return bytes;
    },
    get readyCount() {
      return readyItems;
    },
    get readyBytes() {
      return readyBytes;
    },
    get seqMark() {
      return nextSeq;
    },
    get oldestSeq() {
      return oldestSeq();
    },
    has: (id) => entries.has(id),
    stillQueued: (items) => items.filter((item) => entries.has(item.id)),
    add,
    takeBatch,
    oldestReady: () => oldestReadyEntry()?.item,
    release,
    remove(items) {
      for (const item of items) deleteEntry(item.id);
      return writer ? writer.remove(items.map((item) => item.id)) : written;
    },
    items: () => [...entries.values()].map((entry) => entry.item),
    whenWritten: () => (writer ? writer.idle() : written),
    countBefore: (seqMark) => [...entries.values()].filter((entry) => entry.seq < seqMark).length,
  };
}
