import type { DeliveryOptionsInput, EventContext } from '@weft/core';

/** What `new Analytics(...)` takes: Segment's option names where they mean the same thing. */
export interface AnalyticsOptions {
  writeKey: string;
  /** Where the Weft server listens, e.g. `https://weft.example.com`. */
  host: string;
  /** Request path. Default `/v1/batch`. */
  path?: string;
  /** Send when this many events are ready; also the most per request. Default 15 (Segment's). */
  flushAt?: number;
  /** Longest an event waits for a batch to fill, ms. Default 10,000 (Segment's). */
  flushInterval?: number;
  /** Most events per request when a backlog has built up (at least flushAt). Default 500. */
  maxEventsInBatch?: number;
  /**
   * Longest an event is retried after a failure that is not its own fault (no answer, timeout,
   * 408, 429, 5xx), ms from when this client queued it; past it, it is dropped (`retry_limit`).
   * Default 24 h: with a disk queue, a day's outage loses nothing the queue bound can hold.
   */
  maxEventAge?: number;
  /**
   * Retries after the first attempt before an event is dropped (`retry_limit`), on top of
   * `maxEventAge`. Default: no count (Segment's 10 made a two-minute outage drop the head batch).
   */
  maxRetries?: number;
  /** Requests in flight at once. Default 2 (`pnpm bench:node`); see the README for the order kept. */
  maxConcurrentRequests?: number;
  /** A request unanswered by then is retried, ms. Default 10,000 (Segment's). */
  httpRequestTimeout?: number;
  /** Calls are validated, then answered at once and sent nowhere. Default false. */
  disable?: boolean;
  /** Memory queue bounds; past either, `onFull` applies. Defaults 250,000 events / 128 MiB (`pnpm bench:node`). */
  maxQueueSize?: number;
  maxQueueBytes?: number;
  /** When the queue is full: drop the oldest (reported `queue_full`) or make the caller wait. */
  onFull?: 'drop-oldest' | 'wait';
  /** Keep queued events in append-only files in `dir`, so a crash or restart loses none. */
  queue?: DiskQueueOptions;
  /** Longest the final flush may take when the process is about to exit, ms. Default 5,000. */
  exitFlushTimeout?: number;
  /** Default timeout of `closeAndFlush()`, ms. Default 30,000, whatever the flush interval. */
  closeTimeout?: number;
  /** Context merged into every event (the call's own context wins). */
  context?: EventContext;
}

export interface DiskQueueOptions {
  dir: string;
  /**
   * fsync every write of new events before the call's `stored` settles. Default true: an accepted
   * event survives power loss. False survives a process crash or SIGKILL (the OS still has the
   * data) but not a power cut, and is faster.
   */
  fsync?: boolean;
}

export interface ResolvedOptions {
  writeKey: string;
  url: string;
  disable: boolean;
  onFull: 'drop-oldest' | 'wait';
  exitFlushTimeoutMs: number;
  closeTimeoutMs: number;
  queue: Required<DiskQueueOptions> | undefined;
  context: EventContext | undefined;
  delivery: DeliveryOptionsInput;
}

export const DEFAULTS = {
  path: '/v1/batch',
  flushAt: 15,
  flushInterval: 10_000,
  // A backlog (a burst, the end of an outage) goes out 500 at a time, about 175 KB of 300-byte
  // events, under the 500 KB a request may carry: 1.2 times the events/s of 100 (`pnpm bench:node`).
  maxEventsInBatch: 500,
  maxEventAge: 24 * 3_600_000,
  maxConcurrentRequests: 2,
  httpRequestTimeout: 10_000,
  // A 200,000-call burst (bench:node, ~330 bytes an event) overflowed 100,000 / 32 MiB and dropped
  // half; it fits these, at about 1.4 KB of RSS an event, where Segment's client held it in 3.8 GB.
  maxQueueSize: 250_000,
  maxQueueBytes: 128 * 1024 * 1024,
  exitFlushTimeout: 5_000,
  closeTimeout: 30_000,
} as const;

/** Checks the options and maps Segment's names onto the delivery engine's. Throws a TypeError naming the option. */
export function resolveOptions(options: AnalyticsOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { writeKey, host } = options;
  if (typeof writeKey !== 'string' || writeKey.trim() === '')
    throw new TypeError('writeKey must be a non-empty string');
  if (typeof host !== 'string' || !/^https?:\/\//.test(host)) {
    throw new TypeError(`host must be an http(s) URL, got ${String(host)}`);
  }
  const path = options.path ?? DEFAULTS.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`path must start with /, got ${path}`);
  const { maxRetries } = options;
  if (maxRetries !== undefined && (!Number.isInteger(maxRetries) || maxRetries < 0)) {
    throw new RangeError(`maxRetries must be a whole number of at least 0, got ${maxRetries}`);
  }
  const onFull = options.onFull ?? 'drop-oldest';
  if (onFull !== 'drop-oldest' && onFull !== 'wait') throw new TypeError(`onFull must be 'drop-oldest' or 'wait'`);
  const queueDir = options.queue?.dir;
  if (options.queue !== undefined && (typeof queueDir !== 'string' || queueDir === '')) {
    throw new TypeError('queue.dir must be a directory path');
  }
  return {
    writeKey,
    url: `${host.replace(/\/+$/, '')}${path}`,
    disable: options.disable === true,
    onFull,
    exitFlushTimeoutMs: positive('exitFlushTimeout', options.exitFlushTimeout ?? DEFAULTS.exitFlushTimeout),
    closeTimeoutMs: positive('closeTimeout', options.closeTimeout ?? DEFAULTS.closeTimeout),
    queue: queueDir === undefined ? undefined : { dir: queueDir, fsync: options.queue?.fsync ?? true },
    context: options.context,
    delivery: {
      flushAt: options.flushAt ?? DEFAULTS.flushAt,
      flushIntervalMs: options.flushInterval ?? DEFAULTS.flushInterval,
      maxBatchEvents: options.maxEventsInBatch ?? DEFAULTS.maxEventsInBatch,
      requestTimeoutMs: options.httpRequestTimeout ?? DEFAULTS.httpRequestTimeout,
      maxQueueItems: options.maxQueueSize ?? DEFAULTS.maxQueueSize,
      maxQueueBytes: options.maxQueueBytes ?? DEFAULTS.maxQueueBytes,
      maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULTS.maxConcurrentRequests,
      retry: {
        maxEventAgeMs: positive('maxEventAge', options.maxEventAge ?? DEFAULTS.maxEventAge),
        // Segment counts retries after the first attempt; the engine counts attempts.
        ...(maxRetries === undefined ? {} : { maxAttempts: maxRetries + 1 }),
      },
    },
  };
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
