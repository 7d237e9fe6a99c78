import type { ChangeType, StoredChange } from './change.js';

export interface ChangeReadRequest {
  /** The seq after which to read (0: from the start). */
  readonly after: number;
  readonly limit: number;
  /** Only these types; all when absent. */
  readonly types?: readonly ChangeType[] | undefined;
}

/** The highest seq pruning has removed, per class: event.stored ('events'), every other type ('contacts'). */
export interface ChangeHorizons {
  readonly events: number;
  readonly contacts: number;
}

export interface PruneRequest {
  /** event.stored changes older than this (epoch ms) may go. */
  readonly eventsBefore: number;
  /** Other changes older than this may go. */
  readonly contactsBefore: number;
  /** Consumers that pruning waits for: nothing past the lowest position is removed. */
  readonly heldAt: number;
  /** Rows one call removes at most: a slice that keeps the write lock briefly. */
  readonly maxRows: number;
}

/**
 * The change feed as storage keeps it (storage/sqlite/sqlite-change-store.ts). Changes are written by
 * the writes that make them (ChangeSink, in their transactions); this reads, prunes and tracks the
 * consumers that pruning waits for.
 */
export interface ChangeStore {
  read(request: ChangeReadRequest): Promise<StoredChange[]>;
  /** The seq of the newest change (0 when there is none). */
  head(): Promise<number>;
  horizons(): Promise<ChangeHorizons>;
  /** Removes one slice of what retention lets go; answers how many rows went. */
  prune(request: PruneRequest): Promise<number>;
  /** Records how far a consumer (a webhook endpoint) has read; pruning waits for enabled ones. */
  saveConsumer(consumer: {
    readonly name: string;
    readonly position: number;
    readonly isEnabled: boolean;
  }): Promise<void>;
  /**
   * The lowest position of the enabled consumers that moved within `maxAgeMs` of `now`; Infinity
   * when there is none. A consumer stalled longer is no longer waited for.
   */
  heldAt(now: number, maxAgeMs: number): Promise<number>;
  /**
   * Calls `listener` after each commit that recorded changes, this server's or (on a shared
   * database) another's, soon after it; answers a function that stops it.
   */
  onCommit(listener: () => void): () => void;
  /** Resolves once the listeners registered so far hear every commit after it (at once on SQLite). */
  listening(): Promise<void>;
}
