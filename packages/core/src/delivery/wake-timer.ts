import type { Clock } from '../clock.js';

/** A single timer that is moved rather than stacked: asking for the time it already has is free. */
export interface WakeTimer {
  /** Wakes `onWake` at `time` (epoch ms); Infinity cancels. */
  wakeAt(time: number, now: number): void;
  cancel(): void;
}

export function createWakeTimer(clock: Clock, onWake: () => void): WakeTimer {
  let handle: unknown;
  let scheduledAt = Infinity;

  function cancel(): void {
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = undefined;
    scheduledAt = Infinity;
  }

  return {
    wakeAt(time, now) {
      if (time === scheduledAt) return;
      cancel();
      if (time === Infinity) return;
      scheduledAt = time;
      handle = clock.setTimeout(
        () => {
          handle = undefined;
          scheduledAt = Infinity;
          onWake();
        },
        Math.max(0, time - now),
      );
    },
    cancel,
  };
}
