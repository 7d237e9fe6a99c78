import type { EventStore, InsertOutcome, NewEvent } from '../storage/event-store.js';

export interface GroupCommitWriter {
  /** Resolves once the transaction holding these events has committed, with one outcome per event. */
  write(events: readonly NewEvent[]): Promise<InsertOutcome[]>;
  /** Events of the commit groups so far, for metrics. */
  readonly stats: { commits: number; events: number };
}

interface Pending {
  readonly events: readonly NewEvent[];
  resolve(outcomes: InsertOutcome[]): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** A group closes at this many events even if more requests are waiting. */
  readonly maxGroupEvents?: number;
  /** How the flush is deferred; a test may run it by hand. */
  readonly schedule?: (flush: () => void) => void;
  /**
   * How many groups may be committing at once: 1 for SQLite (one writer; the next group gathers
   * while the disk is busy). An engine whose transactions can run side by side (PostgreSQL, whose
   * batches lock what they touch) may take more, so that a commit's round trips do not hold back
   * the next group.
   */
  readonly maxConcurrentCommits?: number;
}

/**
 * Collects the events of the requests that finish parsing in the same turn of the event loop and
 * commits them in one transaction. A synchronous fsync per request caps ingest near a few thousand
 * requests/s; one per group lets requests parsed while the disk was busy share the next commit.
 */
export function createGroupCommitWriter(store: EventStore, options: GroupCommitOptions = {}): GroupCommitWriter {
  const maxGroupEvents = options.maxGroupEvents ?? 5000;
  const schedule = options.schedule ?? setImmediate;
  let queue: Pending[] = [];
  let scheduled = false;
  // While every flush loop awaits its commit, new requests wait for one of them rather than start another.
  const maxFlushing = options.maxConcurrentCommits ?? 1;
  let flushing = 0;
  const stats = { commits: 0, events: 0 };

  async function flush(): Promise<void> {
    scheduled = false;
    flushing += 1;
    while (queue.length > 0) {
      const group = takeGroup();
      const events = group.length === 1 ? (group[0] as Pending).events : group.flatMap((p) => p.events);
      try {
        const outcomes = await store.insertEvents(events);
        stats.commits += 1;
        stats.events += events.length;
        let offset = 0;
        for (const pending of group) {
          pending.resolve(outcomes.slice(offset, offset + pending.events.length));
          offset += pending.events.length;
        }
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    }
    flushing -= 1;
  }

  function takeGroup(): Pending[] {
    let count = 0;
    let take = 0;
    while (take < queue.length && (take === 0 || count + (queue[take] as Pending).events.length <= maxGroupEvents)) {
      count += (queue[take] as Pending).events.length;
      take += 1;
    }
    const group = queue.slice(0, take);
    queue = queue.slice(take);
    return group;
  }

  return {
    stats,
    write(events) {
      if (events.length === 0) return Promise.resolve([]);
      return new Promise<InsertOutcome[]>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        if (!scheduled && flushing < maxFlushing) {
          scheduled = true;
          schedule(() => void flush());
        }
      });
    },
  };
}
