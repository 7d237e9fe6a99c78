import type { Clock } from '../clock.js';

export interface FlushResult {
  /** True when every event queued before the call was delivered or reported dropped. */
  isComplete: boolean;
  /** Events queued before the call still unsettled (when the timeout came first). */
  pending: number;
}

interface Waiter {
  seqMark: number;
  resolve(result: FlushResult): void;
  timer?: unknown;
}

export interface FlushWaiters {
  /** True while some flush waits for events at least as old as `oldestSeq`. */
  isWaitingFor(oldestSeq: number | undefined): boolean;
  wait(seqMark: number, timeoutMs: number | undefined): Promise<FlushResult>;
  /** Resolves the flushes whose events have all settled. */
  settleUpTo(oldestSeq: number | undefined): void;
  /** Resolves every flush as incomplete (the engine is closing). */
  abandonAll(): void;
}

/**
 * The flushes under way. A flush waits for the queue to hold nothing older than its mark (the
 * sequence number the next event would get when flush was called), which is O(1) to check.
 */
export function createFlushWaiters(clock: Clock, countBefore: (seqMark: number) => number): FlushWaiters {
  let waiters: Waiter[] = [];

  function finish(waiter: Waiter, isComplete: boolean): void {
    if (!waiters.includes(waiter)) return;
    waiters = waiters.filter((other) => other !== waiter);
    if (waiter.timer !== undefined) clock.clearTimeout(waiter.timer);
    waiter.resolve({ isComplete, pending: isComplete ? 0 : countBefore(waiter.seqMark) });
  }

  return {
    isWaitingFor: (oldestSeq) => oldestSeq !== undefined && waiters.some((waiter) => oldestSeq < waiter.seqMark),
    wait: (seqMark, timeoutMs) =>
      new Promise((resolve) => {
        const waiter: Waiter = { seqMark, resolve };
        if (timeoutMs !== undefined) waiter.timer = clock.setTimeout(() => finish(waiter, false), timeoutMs);
        waiters.push(waiter);
      }),
    settleUpTo(oldestSeq) {
      for (const waiter of waiters) {
        if (oldestSeq === undefined || oldestSeq >= waiter.seqMark) finish(waiter, true);
      }
    },
    abandonAll() {
      for (const waiter of waiters) finish(waiter, false);
    },
  };
}
