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

/**
 * The flushes under way. A flush waits for the queue to hold nothing older than its mark (the
 * sequence number the next event would get when flush was called), which is O(1) to check.
 */
export class FlushWaiters {
  private waiters: Waiter[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly countBefore: (seqMark: number) => number,
  ) {}

  /** True while some flush waits for events at least as old as `oldestSeq`. */
  isWaitingFor(oldestSeq: number | undefined): boolean {
    return oldestSeq !== undefined && this.waiters.some((waiter) => oldestSeq < waiter.seqMark);
  }

  wait(seqMark: number, timeoutMs: number | undefined): Promise<FlushResult> {
    return new Promise((resolve) => {
      const waiter: Waiter = { seqMark, resolve };
      if (timeoutMs !== undefined) {
        waiter.timer = this.clock.setTimeout(() => this.finish(waiter, false), timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /** Resolves the flushes whose events have all settled. */
  settleUpTo(oldestSeq: number | undefined): void {
    for (const waiter of [...this.waiters]) {
      if (oldestSeq === undefined || oldestSeq >= waiter.seqMark) this.finish(waiter, true);
    }
  }

  /** Resolves every flush as incomplete (the engine is closing). */
  abandonAll(): void {
    for (const waiter of [...this.waiters]) this.finish(waiter, false);
  }

  private finish(waiter: Waiter, isComplete: boolean): void {
    const index = this.waiters.indexOf(waiter);
    if (index === -1) return;
    this.waiters.splice(index, 1);
    if (waiter.timer !== undefined) this.clock.clearTimeout(waiter.timer);
    waiter.resolve({ isComplete, pending: isComplete ? 0 : this.countBefore(waiter.seqMark) });
  }
}
