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
  /** Events that may not wait again (past their age limit, or out of attempts), and why. */
  spent: QueueItem[];
  reason: DropReason;
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
  const spent: QueueItem[] = [];
  let message = '';
  const kept = items.filter((item) => {
    // A wall clock set back between two runs could make an age negative: count it as new.
    const ageMs = Math.max(0, nowMs - item.enqueuedAt);
    const limit = reachedRetryLimit({ attempts: item.attempts, ageMs }, delayMs, options);
    if (!limit) return true;
    // One report for the batch, in the words of its first event to go.
    message ||= `${limit} (${options[limit]}) reached after ${attempt} attempts (last: ${failure.reason})`;
    spent.push(item);
    return false;
  });
  const action = actOnServerError({ status: failure.status, attempt, eventCount: kept.length }, options);
  return { spent, reason: { code: 'retry_limit', message }, kept, attempt, delayMs, action };
}
