import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('login throttle', () => {
  const limits = { maxFailures: 3, windowMs: 60_000, maxTracked: 100 };

  it('locks an email and address after too many failures, until the window has passed', () => {
    const clock = { time: 0 };
    const throttle = createLoginThrottle(() => clock.time, limits);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(throttle.isLocked('Ada@example.com', '10.0.0.1')).toBe(false);
      throttle.recordFailure('ada@example.com', '10.0.0.1');
    }
    expect(throttle.isLocked('ADA@example.com', '10.0.0.1')).toBe(true);
    // Someone else's guesses do not lock the owner out from where they are.
    expect(throttle.isLocked('ada@example.com', '10.0.0.2')).toBe(false);
    clock.time += 60_001;
    expect(throttle.isLocked('ada@example.com', '10.0.0.1')).toBe(false);
  });

  it('forgets failures after a success, and keeps at most maxTracked pairs', () => {
    const throttle = createLoginThrottle(() => 0, { ...limits, maxTracked: 2 });
    throttle.recordFailure('a@x.io', '1');
    throttle.recordFailure('a@x.io', '1');
    throttle.recordSuccess('a@x.io', '1');
    throttle.recordFailure('a@x.io', '1');
    throttle.recordFailure('a@x.io', '1');
    expect(throttle.isLocked('a@x.io', '1')).toBe(false);
    for (let index = 0; index < 3; index++) throttle.recordFailure(`b${index}@x.io`, '1');
    throttle.recordFailure('a@x.io', '1');
    expect(throttle.isLocked('a@x.io', '1')).toBe(false);
  });

  it('keeps a locked pair when a flood of other failures fills its memory', () => {
    const throttle = createLoginThrottle(() => 0, { maxFailures: 3, windowMs: 60_000, maxTracked: 5 });
    for (let attempt = 0; attempt < 3; attempt++) throttle.recordFailure('ada@x.io', '10.0.0.9');
    for (let index = 0; index < 50; index++) throttle.recordFailure(`made-up-${index}@x.io`, '10.0.0.9');
    expect(throttle.isLocked('ada@x.io', '10.0.0.9')).toBe(true);
  });
});
