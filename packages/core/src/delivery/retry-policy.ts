// Pure retry policy: what a response means, how long to wait, when to give up.
// Table-tested in retry-policy.test.ts; the engine only applies these answers.
//
// Whose fault an answer is decides what happens to the events:
// - the event's own (a 400 or other final 4xx for a request, a `rejected` entry in a 200, a 413 for
//   a single event): retrying cannot help, so the events are dropped at once with the answer;
// - the network's or the server's (no answer, a timeout, 408, 429, 5xx): the events wait and are
//   tried again, as long as they are younger than `maxEventAgeMs`, however many attempts it takes.

export type ResponseAction = 'deliver' | 'retry' | 'split' | 'drop';

export interface RetryOptions {
  /**
   * Longest an event is retried, measured from when this SDK queued it (not from its timestamp).
   * A failure that would make it wait past this age drops it (`retry_limit`).
   */
  maxEventAgeMs: number;
  /** Attempts before an event is dropped with `retry_limit`. Unbounded by default: age bounds retries. */
  maxAttempts: number;
  /** Backoff ceiling for attempt n is min(maxDelayMs, baseDelayMs · 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Floor under every wait, so that a retry never spins in a tight loop. */
  minDelayMs: number;
  /** Cap on a server's Retry-After. */
  maxRetryAfterMs: number;
  /** A batch that failed with 5xx this many times in a row is halved, to isolate an event the server chokes on. */
  splitAfterServerErrors: number;
  /** How long to wait before probing again when the device is offline. */
  offlineProbeMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  // 24 h: a day's outage loses nothing from a durable queue (disk, IndexedDB) the bound can hold.
  maxEventAgeMs: 24 * 3_600_000,
  maxAttempts: Infinity,
  baseDelayMs: 500,
  // 5 min: an outage's end is noticed within 5 min, and a day costs about 600 requests at most.
  maxDelayMs: 300_000,
  minDelayMs: 100,
  // 300 s: the cap Segment's libraries put on Retry-After.
  maxRetryAfterMs: 300_000,
  splitAfterServerErrors: 2,
  offlineProbeMs: 30_000,
};

/** What to do with a batch, given the HTTP status the server answered. */
export function classifyStatus(status: number): ResponseAction {
  if (status >= 200 && status < 300) return 'deliver';
  if (status === 413) return 'split';
  if (status === 408 || status === 429) return 'retry';
  // 501 Not Implemented and 505 HTTP Version Not Supported will answer the same next time.
  if (status === 501 || status === 505) return 'drop';
  if (status >= 500) return 'retry';
  if (status >= 400) return 'drop';
  // 1xx/3xx reaching us means a proxy in the way misbehaved: transient from where we stand.
  return 'retry';
}

/** Capped exponential backoff with full jitter, never below the floor. `attempt` counts from 1. */
export function backoffDelay(attempt: number, random: () => number, options: RetryOptions): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  const floor = Math.min(options.minDelayMs, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}

/**
 * Milliseconds a `Retry-After` header asks for, in either of its forms (delay-seconds or an
 * HTTP-date), capped; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, capMs: number): number | undefined {
  const text = value?.trim() ?? '';
  // Every HTTP-date form names its month; Date.parse alone would also take '-5' or '1.5'.
  const delayMs = /^\d+$/.test(text)
    ? Number(text) * 1000
    : /[a-z]{3}/i.test(text)
      ? Date.parse(text) - nowMs
      : Number.NaN;
  return Number.isNaN(delayMs) ? undefined : Math.min(capMs, Math.max(0, delayMs));
}

/**
 * How long to wait before attempt `attempt + 1`. A server's Retry-After (already capped)
 * replaces the backoff; both stay above the floor.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  context: { random: () => number; options: RetryOptions },
): number {
  const { options, random } = context;
  return retryAfterMs === undefined
    ? backoffDelay(attempt, random, options)
    : Math.max(options.minDelayMs, retryAfterMs);
}

export interface RetryState {
  /** Attempts made so far, the failed one included. */
  attempts: number;
  /** Time since the SDK queued the event. */
  ageMs: number;
}

/** The option that stops an event from waiting `delayMs` more, or undefined when it may wait. */
export function reachedRetryLimit(
  state: RetryState,
  delayMs: number,
  options: RetryOptions,
): 'maxEventAgeMs' | 'maxAttempts' | undefined {
  if (state.ageMs + delayMs > options.maxEventAgeMs) return 'maxEventAgeMs';
  if (state.attempts >= options.maxAttempts) return 'maxAttempts';
  return undefined;
}

export type ServerErrorAction = 'wait' | 'split' | 'isolate';

/**
 * What a batch the server keeps failing on (5xx, `splitAfterServerErrors` times in a row) does
 * besides waiting: one event in it may be what the server chokes on. A batch of several is halved;
 * a single event is set aside to retry on its own, so the rest of the queue goes on without it.
 * Other failures (no answer, a timeout, 408, 429) say nothing of the events, so they only wait.
 */
export function actOnServerError(
  failure: { status: number | undefined; attempt: number; eventCount: number },
  options: RetryOptions,
): ServerErrorAction {
  const isServerError = failure.status !== undefined && failure.status >= 500 && failure.status < 600;
  if (!isServerError || failure.attempt < options.splitAfterServerErrors) return 'wait';
  return failure.eventCount > 1 ? 'split' : 'isolate';
}
