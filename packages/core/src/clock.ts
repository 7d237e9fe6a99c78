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
