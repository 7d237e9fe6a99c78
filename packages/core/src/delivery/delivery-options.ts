import { SDK_BATCH_BYTES } from '../wire/wire-rules.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry-policy.js';

export interface DeliveryOptions {
  /** Send as soon as this many events are ready. */
  flushAt: number;
  /**
   * Most events per request (at least flushAt). A backlog (load, or the end of an outage) goes out
   * in requests this large rather than flushAt at a time.
   */
  maxBatchEvents: number;
  /** Longest an event waits for a batch to fill. */
  flushIntervalMs: number;
  /** Most bytes per request body, envelope included. */
  maxBatchBytes: number;
  /** Queue bounds; past either, the oldest events are dropped and reported. */
  maxQueueItems: number;
  maxQueueBytes: number;
  /** A request unanswered by then counts as failed and is retried (the server dedupes). */
  requestTimeoutMs: number;
  /** Requests in flight at once. */
  maxConcurrentRequests: number;
  /** Fields added to every request body besides `batch` and `sentAt` (e.g. `writeKey`). */
  envelope: Record<string, unknown>;
  retry: RetryOptions;
}

// flushAt 15 and 10 s: the defaults of Segment's Node library, which apps moving to us know.
export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  flushAt: 15,
  maxBatchEvents: 100,
  flushIntervalMs: 10_000,
  maxBatchBytes: SDK_BATCH_BYTES,
  maxQueueItems: 10_000,
  maxQueueBytes: 32 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  maxConcurrentRequests: 1,
  envelope: {},
  retry: DEFAULT_RETRY_OPTIONS,
};

export type DeliveryOptionsInput = Partial<Omit<DeliveryOptions, 'retry'>> & { retry?: Partial<RetryOptions> };

/** The options with their defaults; throws a RangeError naming an option out of range. */
export function resolveDeliveryOptions(input: DeliveryOptionsInput = {}): DeliveryOptions {
  const options = withDeliveryDefaults(input);
  for (const key of ['flushAt', 'maxBatchEvents', 'maxQueueItems', 'maxConcurrentRequests'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new RangeError(`${key} must be a whole number of at least 1, got ${options[key]}`);
    }
  }
  for (const key of ['flushIntervalMs', 'maxBatchBytes', 'maxQueueBytes', 'requestTimeoutMs'] as const) {
    if (!(options[key] > 0)) throw new RangeError(`${key} must be a positive number, got ${options[key]}`);
  }
  return options;
}

/** The options with their defaults, unchecked; an option given as undefined keeps its default. */
export function withDeliveryDefaults(input: DeliveryOptionsInput = {}): DeliveryOptions {
  return {
    ...DEFAULT_DELIVERY_OPTIONS,
    ...withoutUndefined(input),
    retry: { ...DEFAULT_RETRY_OPTIONS, ...withoutUndefined(input.retry ?? {}) },
  };
}

/** The entries whose value is not undefined: an option given as undefined keeps its default. */
export function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
