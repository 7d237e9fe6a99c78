import type { QueueItem } from '../queue/queue-store.js';
import type { DropReason } from './reports.js';
import {
  actOnServerError,
  type RetryOptions,
  reachedRetryLimit,
  retryDelay,
  type ServerErrorAction,
} from './retry-policy.js';

export interface RetryFailure {
  /** What went wrong, for reports: `HTTP 503`, `no answer within 10000 ms`… */
  reason: string;
  status?: number;
  retryAfterMs?: number;
}

export interface RetryDecision {
  /** Events that may not wait again, each group with its reason. */
  dropped: Array<{ items: QueueItem[]; reason: DropReason }>;
  kept: QueueItem[];
  /** The batch's attempt count (its most-tried event's). */
  attempt: number;
  delayMs: number;
  /** Whether the kept events also split up or step aside (see `actOnServerError`). */
  action: ServerErrorAction;
}

export interface RetryContext {
  /** The engine's time, on the same clock as each item's `enqueuedAt`. */
  nowMs: number;
  random: () => number;
  options: RetryOptions;
}

/** What a failed batch's events do next: wait how long, or be dropped. Attempts already counted. */
export function decideRetry(items: QueueItem[], failure: RetryFailure, context: RetryContext): RetryDecision {
  const { options, nowMs } = context;
  const attempt = Math.max(1, ...items.map((item) => item.attempts));
  const delayMs = retryDelay(attempt, failure.retryAfterMs, context);
  const tooOld: QueueItem[] = [];
  const outOfAttempts: QueueItem[] = [];
  const kept: QueueItem[] = [];
  for (const item of items) {
    // A wall clock set back between two runs could make an age negative: count it as new.
    const ageMs = Math.max(0, nowMs - item.enqueuedAt);
    const limit = reachedRetryLimit({ attempts: item.attempts, ageMs }, delayMs, options);
    if (limit === 'age') tooOld.push(item);
    else if (limit === 'attempts') outOfAttempts.push(item);
    else kept.push(item);
  }
  const dropped: RetryDecision['dropped'] = [];
  if (tooOld.length > 0) {
    const limit = formatDuration(options.maxEventAgeMs);
    const message = `still undelivered ${limit} after it was queued (maxEventAgeMs), after ${attempt} attempts (last: ${failure.reason})`;
    dropped.push({ items: tooOld, reason: { code: 'retry_limit', message } });
  }
  if (outOfAttempts.length > 0) {
    const message = `gave up after ${attempt} attempts (maxAttempts; last: ${failure.reason})`;
    dropped.push({ items: outOfAttempts, reason: { code: 'retry_limit', message } });
  }
  const action = actOnServerError({ status: failure.status, attempt, eventCount: kept.length }, options);
  return { dropped, kept, attempt, delayMs, action };
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}
