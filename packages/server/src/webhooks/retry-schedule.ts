import { parseDuration } from '../config/duration.js';

/**
 * When a failed delivery is tried again: after each failed attempt, the next delay of the schedule
 * (WEFT_WEBHOOK_RETRY_SCHEDULE, a comma list of durations), with up to 10% jitter so that many
 * messages failing together do not retry together; a `Retry-After` the receiver sent is honoured
 * when it asks for longer (up to a day). Once the schedule is spent the message has failed.
 */

export const defaultRetrySchedule: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** The longest wait a `Retry-After` can ask for. */
const maxRetryAfterMs = 24 * 3_600_000;

/** Reads `5s,5m,30m`; undefined when any part is not a duration or none is given. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const delays = text.split(',').map((part) => parseDuration(part));
  if (delays.length === 0 || delays.some((delay) => delay === undefined)) return undefined;
  return delays as number[];
}

/**
 * The time of the next attempt after `failedAttempts` failed ones (1 after the first), or undefined
 * when the schedule is spent. `random` is in [0, 1).
 */
export function nextAttemptAt(
  failedAttempts: number,
  now: number,
  schedule: readonly number[],
  random: number,
  retryAfterMs?: number,
): number | undefined {
  const delay = schedule[failedAttempts - 1];
  if (delay === undefined) return undefined;
  const jittered = delay + Math.floor(delay * 0.1 * random);
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, maxRetryAfterMs);
  return now + Math.max(jittered, asked);
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from `now`; undefined when unreadable. */
export function readRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
