import type { QueueItem, QueueStore } from './queue-store.js';

/**
 * Groups a queue's writes so a burst of calls becomes one `put` and one `remove`, applied in
 * order: a group starts writing only after the previous one finished, and collects whatever
 * arrives meanwhile. A put and a remove of the same id in one group cancel out.
 */
export interface StoreWriter {
  put(item: QueueItem): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Settles once every write asked for so far has been applied (or has failed). */
  idle(): Promise<void>;
}

export function createStoreWriter(store: QueueStore): StoreWriter {
  let puts = new Map<string, QueueItem>();
  let removes = new Set<string>();
  let tail: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;

  async function writeGroup(): Promise<void> {
    const group = { puts, removes };
    puts = new Map();
    removes = new Set();
    next = undefined;
    if (group.puts.size > 0) await store.put([...group.puts.values()]);
    if (group.removes.size > 0) await store.remove([...group.removes]);
  }

  function schedule(): Promise<void> {
    if (!next) {
      next = tail.then(writeGroup);
      // The chain goes on after a failed write; the failure reaches the callers of that group.
      tail = next.catch(() => undefined);
    }
    return next;
  }

  return {
    put(item) {
      removes.delete(item.id);
      puts.set(item.id, item);
      return schedule();
    },
    remove(ids) {
      for (const id of ids) {
        puts.delete(id);
        removes.add(id);
      }
      return schedule();
    },
    idle: () => tail,
  };
}
