/** Time, passed in so that every test runs on fake time and Node can unref its timers. */
export interface Clock {
  /** Wall-clock time, epoch ms. */
  now(): number;
  /** A clock that never jumps (performance.now), where the platform has one; any origin. */
  monotonicNow?(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  performance?: { now(): number };
}

/** The platform's own timers, which browsers and Node both have; looked up at call time so fake timers apply. */
export function createSystemClock(): Clock {
  const host = globalThis as unknown as TimerHost;
  return {
    now: () => Date.now(),
    monotonicNow: () => (host.performance ?? Date).now(),
    setTimeout: (callback, ms) => host.setTimeout(callback, ms),
    clearTimeout: (handle) => host.clearTimeout(handle),
  };
}

/**
 * Epoch milliseconds that never jump: the wall clock read once, advanced by the monotonic clock.
 * Ages measured on it within one process are exact whatever happens to the system clock; stored
 * as epoch ms, they still mean something to the next process, which reads its own wall clock.
 */
export function createSteadyNow(clock: Clock): () => number {
  const monotonicNow = clock.monotonicNow ? () => (clock.monotonicNow as () => number)() : clock.now;
  const offset = clock.now() - monotonicNow();
  return () => offset + monotonicNow();
}

/** Settles as `promise` does, or with `onTimeout()` after `timeoutMs` if that comes first; clears its timer. */
export function withTimeout<T>(
  clock: Clock,
  promise: Promise<T>,
  timeoutMs: number | undefined,
  onTimeout: () => T,
): Promise<T> {
  if (timeoutMs === undefined) return promise;
  return new Promise((resolve) => {
    const timeout = clock.setTimeout(() => resolve(onTimeout()), timeoutMs);
    void promise.then((value) => {
      clock.clearTimeout(timeout);
      resolve(value);
    });
  });
}

const ignore = () => undefined;

/** Settles when `promise` does, or after `timeoutMs` if that comes first (never rejects). */
export function settleWithin(clock: Clock, promise: Promise<unknown>, timeoutMs: number | undefined): Promise<void> {
  return withTimeout(clock, promise.then(ignore, ignore), timeoutMs, ignore);
}
