/** Time, passed in so that every test runs on fake time and Node can unref its timers. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform's own timers, which browsers and Node both have; looked up at call time so fake timers apply. */
export function createSystemClock(): Clock {
  const host = globalThis as unknown as TimerHost;
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => host.setTimeout(callback, ms),
    clearTimeout: (handle) => host.clearTimeout(handle),
  };
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
