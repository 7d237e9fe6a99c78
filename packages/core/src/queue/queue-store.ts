/** One queued event, as kept on the device until the server acknowledges it. */
export interface QueueItem {
  /** The event's messageId: the key in storage and the server's dedupe key. */
  id: string;
  /** The event's JSON exactly as it will be sent. */
  json: string;
  /** UTF-8 length of `json`. */
  bytes: number;
  /** Attempts to send it so far. */
  attempts: number;
  /** Time spent waiting between its attempts; reported, no longer a budget (the age is). */
  retryTimeMs: number;
  /**
   * When this SDK queued it, epoch ms: the wall clock at the engine's start advanced by the
   * monotonic clock (see `createSteadyNow`). Stored, so that an event's age survives a restart.
   */
  enqueuedAt: number;
}

/**
 * Where a queue keeps its items across restarts. Each platform brings its own (memory here,
 * IndexedDB in the browser, files on disk in Node); all of them pass `testQueueStore`.
 */
export interface QueueStore {
  /** Every item stored, oldest first (by `enqueuedAt`, then `id`). */
  load(): Promise<QueueItem[]>;
  /** Inserts or replaces items by id. */
  put(items: QueueItem[]): Promise<void>;
  /** Removes items by id; unknown ids are ignored. */
  remove(ids: string[]): Promise<void>;
}

export function compareQueueItems(a: QueueItem, b: QueueItem): number {
  return a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
