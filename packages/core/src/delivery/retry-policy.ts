// Pure retry policy: what a response means, how long to wait, when to give up.
// Table-tested in retry-policy.test.ts; the engine only applies these answers.

export type ResponseAction = 'deliver' | 'retry' | 'split' | 'drop';

export interface RetryOptions {
  /** Attempts before an event is dropped with `retry_limit`. */
  maxAttempts: number;
  /** Backoff ceiling for attempt n is min(maxDelayMs, baseDelayMs · 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Floor under every wait, so that a retry never spins in a tight loop. */
  minDelayMs: number;
  /** Cap on a server's Retry-After. */
  maxRetryAfterMs: number;
  /** Budget of time spent waiting between attempts (offline time excluded). */
  maxRetryTimeMs: number;
  /** How long to wait before probing again when the device is offline. */
  offlineProbeMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 10,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  minDelayMs: 100,
  // 300 s: the cap Segment's libraries put on Retry-After.
  maxRetryAfterMs: 300_000,
  maxRetryTimeMs: 3_600_000,
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
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let delayMs: number;
  if (/^\d+$/.test(text)) {
    delayMs = Number(text) * 1000;
  } else {
    // Every HTTP-date form names its month; Date.parse alone would also take '-5' or '1.5'.
    if (!/[a-z]{3}/i.test(text)) return undefined;
    const dateMs = Date.parse(text);
    if (Number.isNaN(dateMs)) return undefined;
    delayMs = dateMs - nowMs;
  }
  return Math.min(capMs, Math.max(0, delayMs));
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
  /** Waiting time already spent on retries. */
  retryTimeMs: number;
}

/** True when an event may not wait `delayMs` more: out of attempts or out of retry time. */
export function isRetryBudgetSpent(state: RetryState, delayMs: number, options: RetryOptions): boolean {
  return state.attempts >= options.maxAttempts || state.retryTimeMs + delayMs > options.maxRetryTimeMs;
}
