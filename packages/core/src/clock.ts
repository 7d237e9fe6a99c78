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

/** Settles when `promise` does, or after `timeoutMs` if that comes first (never rejects). */
export function settleWithin(clock: Clock, promise: Promise<unknown>, timeoutMs: number | undefined): Promise<void> {
  const settled = promise.then(
    () => undefined,
    () => undefined,
  );
  if (timeoutMs === undefined) return settled;
  return new Promise((resolve) => {
    const timeout = clock.setTimeout(resolve, timeoutMs);
    void settled.then(() => {
      clock.clearTimeout(timeout);
      resolve();
    });
  });
}
