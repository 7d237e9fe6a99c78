import { compareQueueItems, type QueueItem, type QueueStore } from './queue-store.js';
import { createStoreWriter, type StoreWriter } from './store-writer.js';

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

/**
 * The in-memory FIFO the delivery engine works from, mirrored to a `QueueStore` when one is
 * given. Items in flight stay in place, so a failed batch keeps its position at the head.
 */
export class Queue {
  #entries = new Map<string, Entry>();
  #nextSeq = 0;
  #bytes = 0;
  #readyItems = 0;
  #readyBytesTotal = 0;
  readonly #writer: StoreWriter | undefined;
  readonly #limits: QueueLimits;
  readonly #store: QueueStore | undefined;

  constructor(limits: QueueLimits, store?: QueueStore) {
    this.#limits = limits;
    this.#store = store;
    this.#writer = store ? createStoreWriter(store) : undefined;
  }

  /** Puts stored items ahead of anything queued since start. Returns what was loaded. */
  async load(): Promise<QueueItem[]> {
    return this.#store ? this.adopt(await this.#store.load()) : [];
  }

  /**
   * Puts items another instance stored (claimed from a tab that died) ahead of everything queued,
   * without writing them again. Items already queued are skipped. Returns what was added.
   */
  adopt(items: QueueItem[]): QueueItem[] {
    const adopted = items.filter((item) => !this.#entries.has(item.id)).sort(compareQueueItems);
    if (adopted.length === 0) return adopted;
    const base = (this.oldestSeq ?? this.#nextSeq) - adopted.length;
    const merged = new Map<string, Entry>();
    adopted.forEach((item, index) => {
      merged.set(item.id, { item, seq: base + index, isInFlight: false });
      this.#account(item, 1);
    });
    for (const [id, entry] of this.#entries) merged.set(id, entry);
    this.#entries = merged;
    return adopted;
  }

  get size(): number {
    return this.#entries.size;
  }
  get totalBytes(): number {
    return this.#bytes;
  }
  get readyCount(): number {
    return this.#readyItems;
  }
  get readyBytes(): number {
    return this.#readyBytesTotal;
  }
  /** Sequence number the next item will get; an item with a smaller one was queued before. */
  get seqMark(): number {
    return this.#nextSeq;
  }
  /** Smallest sequence number still queued, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.#entries.values().next().value?.seq;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  add(item: QueueItem): AddResult {
    if (item.bytes > this.#limits.maxBytes) {
      return { isQueued: false, evicted: [item], stored: Promise.resolve() };
    }
    const evicted: QueueItem[] = [];
    while (this.#entries.size >= this.#limits.maxItems || this.#bytes + item.bytes > this.#limits.maxBytes) {
      const oldest = this.#oldestReadyEntry();
      if (!oldest) return { isQueued: false, evicted: [item], stored: Promise.resolve() };
      this.#delete(oldest.item.id);
      evicted.push(oldest.item);
    }
    this.#entries.set(item.id, { item, seq: this.#nextSeq++, isInFlight: false });
    this.#account(item, 1);
    if (!this.#writer) return { isQueued: true, evicted, stored: Promise.resolve() };
    if (evicted.length > 0) void this.#writer.remove(evicted.map((old) => old.id)).catch(() => undefined);
    return { isQueued: true, evicted, stored: this.#writer.put(item) };
  }

  /** Takes the oldest items not in flight, within the limits, and marks them in flight. */
  takeBatch(limits: BatchLimits): QueueItem[] {
    const batch: QueueItem[] = [];
    let bytes = 0;
    for (const entry of this.#entries.values()) {
      if (entry.isInFlight) continue;
      const added = entry.item.bytes + (batch.length > 0 ? limits.separatorBytes : 0);
      if (batch.length > 0 && (batch.length >= limits.maxEvents || bytes + added > limits.maxBytes)) break;
      batch.push(entry.item);
      bytes += added;
      this.#setInFlight(entry, true);
    }
    return batch;
  }

  /** The oldest item not in flight. */
  oldestReady(): QueueItem | undefined {
    return this.#oldestReadyEntry()?.item;
  }

  /** Back to ready, in place, after a failed attempt; the new counters are persisted. */
  release(items: QueueItem[]): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const item of items) {
      const entry = this.#entries.get(item.id);
      if (!entry) continue;
      this.#setInFlight(entry, false);
      if (this.#writer) writes.push(this.#writer.put(item));
    }
    return Promise.all(writes).then(() => undefined);
  }

  /** Removes items for good (delivered or dropped). */
  remove(items: QueueItem[]): Promise<void> {
    for (const item of items) this.#delete(item.id);
    return this.#writer ? this.#writer.remove(items.map((item) => item.id)) : Promise.resolve();
  }

  /** Every item, oldest first. */
  items(): QueueItem[] {
    return [...this.#entries.values()].map((entry) => entry.item);
  }

  /** Settles once every store write asked for so far is done. */
  whenWritten(): Promise<void> {
    return this.#writer ? this.#writer.idle() : Promise.resolve();
  }

  /** Items queued before `seqMark` that are still here. */
  countBefore(seqMark: number): number {
    let count = 0;
    for (const entry of this.#entries.values()) {
      if (entry.seq >= seqMark) break;
      count++;
    }
    return count;
  }

  #oldestReadyEntry(): Entry | undefined {
    for (const entry of this.#entries.values()) if (!entry.isInFlight) return entry;
    return undefined;
  }

  #delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    if (entry.isInFlight) this.#setInFlight(entry, false);
    this.#account(entry.item, -1);
  }

  #setInFlight(entry: Entry, isInFlight: boolean): void {
    if (entry.isInFlight === isInFlight) return;
    entry.isInFlight = isInFlight;
    const sign = isInFlight ? -1 : 1;
    this.#readyItems += sign;
    this.#readyBytesTotal += sign * entry.item.bytes;
  }

  #account(item: QueueItem, sign: 1 | -1): void {
    this.#bytes += sign * item.bytes;
    this.#readyItems += sign;
    this.#readyBytesTotal += sign * item.bytes;
  }
}
