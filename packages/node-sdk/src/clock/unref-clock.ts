import type { Clock } from '@weft/core';

/**
 * Node's timers, unref'd: a pending batch or retry never keeps a script alive by itself. The
 * process's `beforeExit` hook makes the one final flush instead. Looked up at call time so
 * fake timers apply in tests.
 */
export function createUnrefClock(): Clock {
  return {
    now: () => Date.now(),
    monotonicNow: () => performance.now(),
    setTimeout(callback, ms) {
      const handle = setTimeout(callback, ms);
      // Fake timers may hand back an object without unref.
      (handle as { unref?: () => void }).unref?.();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
