import { compareQueueItems, type QueueItem, type QueueStore } from './queue-store.js';
import { createStoreWriter } from './store-writer.js';

export interface QueueLimits {
  /** Most items held; past it the oldest are dropped. */
  maxItems: number;
  /** Most bytes of event JSON held; past it the oldest are dropped. */
  maxBytes: number;
}

export interface BatchLimits {
  maxEvents: number;
  /** Byte budget for the events themselves; the first item is taken whatever its size. */
  maxBytes: number;
  /** Bytes each event after the first adds besides its own (the comma between them). */
  separatorBytes: number;
}

interface Entry {
  item: QueueItem;
  /** Order of arrival; items loaded from the store come before everything queued since. */
  seq: number;
  isInFlight: boolean;
}

export interface AddResult {
  /** False when the item could not be queued at all (bigger than the whole queue). */
  isQueued: boolean;
  /** Older items dropped to make room (or the item itself when not queued). */
  evicted: QueueItem[];
  /** Settles when the item (and the eviction) reached the store. */
  stored: Promise<void>;
}

/** The in-memory FIFO the delivery engine works from; `createQueue` makes one. */
export interface Queue {
  /** Puts stored items ahead of anything queued since start. Returns what was loaded. */
  load(): Promise<QueueItem[]>;
  /**
   * Puts items another instance stored (claimed from a tab that died) ahead of everything queued,
   * without writing them again. Items already queued are skipped. Returns what was added.
   */
  adopt(items: QueueItem[]): QueueItem[];
  readonly size: number;
  readonly totalBytes: number;
  readonly readyCount: number;
  readonly readyBytes: number;
  /** Sequence number the next item will get; an item with a smaller one was queued before. */
  readonly seqMark: number;
  /** Smallest sequence number still queued, or undefined when empty. */
  readonly oldestSeq: number | undefined;
  has(id: string): boolean;
  /**
   * Those of `items`, a batch taken earlier and still in flight, that were not removed since
   * (by a purge or a close). Asked once per batch, when its answer comes.
   */
  stillQueued(items: QueueItem[]): QueueItem[];
  add(item: QueueItem): AddResult;
  /** Takes the oldest items not in flight, within the limits, and marks them in flight. */
  takeBatch(limits: BatchLimits): QueueItem[];
  /** The oldest item not in flight. */
  oldestReady(): QueueItem | undefined;
  /** Back to ready, in place, after a failed attempt; the new counters are persisted. */
  release(items: QueueItem[]): Promise<void>;
  /** Removes items for good (delivered or dropped). */
  remove(items: QueueItem[]): Promise<void>;
  /** Every item, oldest first. */
  items(): QueueItem[];
  /** Settles once every store write asked for so far is done. */
  whenWritten(): Promise<void>;
  /** Items queued before `seqMark` that are still here. */
  countBefore(seqMark: number): number;
}

/**
 * Mirrored to a `QueueStore` when one is given. Items in flight stay in place, so a failed batch
 * keeps its position at the head. Entries sit in `slots` by sequence number (slot i holds seq
 * `base + i`, a removed one leaves a hole), with two cursors, the oldest entry and the oldest
 * ready one, that only move forward except when a release puts an item back: so every call costs
 * O(1) amortised, however many items are in flight or queued. A closure rather than a class: 50 B
 * less in weft.min.js (gzip).
 */
export function createQueue(limits: QueueLimits, store?: QueueStore): Queue {
  const entries = new Map<string, Entry>();
  let slots: (Entry | undefined)[] = [];
  /** Sequence number of slots[0]; the next item gets `base + slots.length`. */
  let base = 0;
  /** No entry has a smaller sequence number. */
  let head = 0;
  /** No ready entry has a smaller sequence number. */
  let readyFrom = 0;
  /**
   * Items removed while in flight (a purge, a close), until `stillQueued` is asked about them:
   * each is in one batch, which asks once.
   */
  const removedInFlight = new Set<QueueItem>();
  let bytes = 0;
  let readyItems = 0;
  let readyBytes = 0;
  const writer = store ? createStoreWriter(store) : undefined;
  const written = Promise.resolve();
  const slot = (seq: number) => slots[seq - base];
  const end = () => base + slots.length;

  function oldestSeq(): number | undefined {
    while (head < end() && !slot(head)) head++;
    // Drops the holes at the front once they are most of the array: amortised O(1) per item.
    if (head - base > 1024 && (head - base) * 2 > slots.length) {
      slots = slots.slice(head - base);
      base = head;
    }
    return head < end() ? head : undefined;
  }

  function oldestReadyEntry(): Entry | undefined {
    readyFrom = Math.max(readyFrom, head);
    for (let entry: Entry | undefined; readyFrom < end(); readyFrom++) {
      entry = slot(readyFrom);
      if (entry && !entry.isInFlight) return entry;
    }
    return undefined;
  }

  function deleteEntry(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    slots[entry.seq - base] = undefined;
    if (entry.isInFlight) {
      removedInFlight.add(entry.item);
      setInFlight(entry, false);
    }
    account(entry.item, -1);
  }

  function setInFlight(entry: Entry, isInFlight: boolean): void {
    if (entry.isInFlight === isInFlight) return;
    entry.isInFlight = isInFlight;
    const sign = isInFlight ? -1 : 1;
    readyItems += sign;
    readyBytes += sign * entry.item.bytes;
    if (!isInFlight) readyFrom = Math.min(readyFrom, entry.seq);
  }

  function account(item: QueueItem, sign: 1 | -1): void {
    bytes += sign * item.bytes;
    readyItems += sign;
    readyBytes += sign * item.bytes;
  }

  function live(): Entry[] {
    oldestSeq();
    return slots.slice(head - base).filter((entry): entry is Entry => entry !== undefined);
  }

  function adopt(items: QueueItem[]): QueueItem[] {
    const adopted = items.filter((item) => !entries.has(item.id)).sort(compareQueueItems);
    if (adopted.length === 0) return adopted;
    const rest = slots.slice((oldestSeq() ?? end()) - base);
    base = head = readyFrom = end() - rest.length - adopted.length;
    // concat, not push(...rest): a spread of 250,000 arguments overflows the stack.
    slots = adopted
      .map((item, index) => {
        const entry = { item, seq: base + index, isInFlight: false };
        entries.set(item.id, entry);
        account(item, 1);
        return entry as Entry | undefined;
      })
      .concat(rest);
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
    const entry = { item, seq: end(), isInFlight: false };
    entries.set(item.id, entry);
    slots.push(entry);
    account(item, 1);
    if (!writer) return { isQueued: true, evicted, stored: written };
    if (evicted.length > 0) void writer.remove(evicted.map((old) => old.id)).catch(() => undefined);
    return { isQueued: true, evicted, stored: writer.put(item) };
  }

  function takeBatch(batchLimits: BatchLimits): QueueItem[] {
    const batch: QueueItem[] = [];
    let batchBytes = 0;
    oldestReadyEntry();
    for (let seq = readyFrom; seq < end(); seq++) {
      const entry = slot(seq);
      if (!entry || entry.isInFlight) continue;
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
      return end();
    },
    get oldestSeq() {
      return oldestSeq();
    },
    has: (id) => entries.has(id),
    // Without a removal in flight, the whole batch: no lookup per item (4 % of Node's CPU).
    stillQueued: (items) =>
      removedInFlight.size === 0 ? items : items.filter((item) => !removedInFlight.delete(item)),
    add,
    takeBatch,
    oldestReady: () => oldestReadyEntry()?.item,
    release,
    remove(items) {
      for (const item of items) deleteEntry(item.id);
      return writer ? writer.remove(items.map((item) => item.id)) : written;
    },
    items: () => live().map((entry) => entry.item),
    whenWritten: () => (writer ? writer.idle() : written),
    countBefore: (seqMark) => live().filter((entry) => entry.seq < seqMark).length,
  };
}
