import type { ChangeStore } from './change-store.js';

/** How long the feed keeps changes, and how long it waits for a consumer that falls behind. */
export interface ChangeRetention {
  /** event.stored changes (7 days by default). */
  readonly eventsMs: number;
  /** Every other change (90 days by default). */
  readonly contactsMs: number;
  /** A consumer (a webhook endpoint) that has not moved for this long is no longer waited for. */
  readonly holdMaxMs: number;
}

export const defaultChangeRetention: ChangeRetention = {
  eventsMs: 7 * 86_400_000,
  contactsMs: 90 * 86_400_000,
  holdMaxMs: 30 * 86_400_000,
};

export interface PrunerOptions {
  readonly changes: ChangeStore;
  readonly retention: ChangeRetention;
  readonly now: () => number;
  /** Rows one slice removes at most: each slice is one short write. */
  readonly sliceRows?: number;
  /** The pause between rounds once nothing is left to remove. */
  readonly everyMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Removes what retention lets go, in slices of a few hundred rows with a turn of the event loop
 * between them, so that ingest's commits interleave and never wait long. Stops when `stop` is called.
 */
export function startChangePruner(options: PrunerOptions): { stop(): void; pruneNow(): Promise<number> } {
  const sliceRows = options.sliceRows ?? 500;
  const everyMs = options.everyMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;

  async function pruneNow(): Promise<number> {
    const { changes, retention, now } = options;
    let total = 0;
    for (;;) {
      const at = now();
      const removed = await changes.prune({
        eventsBefore: at - retention.eventsMs,
        contactsBefore: at - retention.contactsMs,
        heldAt: await changes.heldAt(at, retention.holdMaxMs),
        maxRows: sliceRows,
      });
      total += removed;
      if (removed < sliceRows || isStopped) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function schedule(): void {
    if (isStopped) return;
    timer = setTimeout(() => {
      pruneNow().then(schedule, (error: unknown) => {
        options.onError?.(error);
        schedule();
      });
    }, everyMs);
    timer.unref();
  }
  schedule();
  return {
    stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
    },
    pruneNow,
  };
}
