import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock } from '../clock.js';
import { createWakeTimer } from './wake-timer.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('createWakeTimer', () => {
  it('keeps one timer however often it is moved, and fires once at the last time asked', () => {
    const onWake = vi.fn();
    const timer = createWakeTimer(createSystemClock(), onWake);
    timer.wakeAt(1_000, 0);
    timer.wakeAt(1_000, 0);
    timer.wakeAt(500, 0);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    expect(onWake).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(onWake).toHaveBeenCalledTimes(1);
  });

  it('cancels on Infinity and on cancel()', () => {
    const onWake = vi.fn();
    const timer = createWakeTimer(createSystemClock(), onWake);
    timer.wakeAt(100, 0);
    timer.wakeAt(Number.POSITIVE_INFINITY, 0);
    expect(vi.getTimerCount()).toBe(0);
    timer.wakeAt(100, 0);
    timer.cancel();
    vi.advanceTimersByTime(200);
    expect(onWake).not.toHaveBeenCalled();
  });
});
