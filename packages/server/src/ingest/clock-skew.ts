/** How far the server trusts the times a client sends (epoch milliseconds). */
export interface TimestampPolicy {
  /**
   * An event timestamped (after correction) more than this after it was received is stored at the
   * receive time: trait stamps are newest-wins, so a far-future event would otherwise freeze a
   * trait for good. The client's own value stays in the stored event as `originalTimestamp`.
   */
  readonly maxFutureMs: number;
  /**
   * Skew correction applies only when `sentAt − timestamp` lies in [0, this]: a device that queued
   * an event for longer, or sent a `sentAt` before its `timestamp`, gives a difference that says
   * nothing about its clock (years like +010055 came out of such pairs).
   */
  readonly maxCorrectionMs: number;
}

export const defaultTimestampPolicy: TimestampPolicy = {
  maxFutureMs: 10 * 60_000,
  maxCorrectionMs: 30 * 86_400_000,
};

export interface EventTime {
  readonly timestamp: number;
  /** True when the timestamp was moved back to the receive time for being too far ahead. */
  readonly isClamped: boolean;
}

/**
 * Segment's clock-skew correction, bounded. A device's clock may be wrong, but the interval between
 * its own `timestamp` and `sentAt` is right; anchored on our `receivedAt` it gives the real time:
 * timestamp = receivedAt − (sentAt − originalTimestamp). Then no event may sit further in the
 * future than the policy allows.
 */
export function correctTimestamp(
  input: { receivedAt: number; sentAt?: number | undefined; originalTimestamp?: number | undefined },
  policy: TimestampPolicy = defaultTimestampPolicy,
): EventTime {
  const { receivedAt, sentAt, originalTimestamp } = input;
  if (originalTimestamp === undefined) return { timestamp: receivedAt, isClamped: false };
  const queuedFor = sentAt === undefined ? undefined : sentAt - originalTimestamp;
  const isCorrectable = queuedFor !== undefined && queuedFor >= 0 && queuedFor <= policy.maxCorrectionMs;
  const timestamp = isCorrectable ? receivedAt - queuedFor : originalTimestamp;
  if (timestamp > receivedAt + policy.maxFutureMs) return { timestamp: receivedAt, isClamped: true };
  return { timestamp, isClamped: false };
}

/** The latest stamp a trait may carry when written at `now`: what a stored stamp is clamped to. */
export function latestAllowedStamp(now: number, policy: TimestampPolicy = defaultTimestampPolicy): number {
  return now + policy.maxFutureMs;
}
