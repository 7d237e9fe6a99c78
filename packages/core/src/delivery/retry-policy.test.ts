import { describe, expect, it } from 'vitest';
import {
  actOnServerError,
  backoffDelay,
  classifyStatus,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  reachedRetryLimit,
  retryDelay,
} from './retry-policy.js';

describe('classifyStatus', () => {
  it.each([
    [200, 'deliver'],
    [202, 'deliver'],
    [204, 'deliver'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [507, 'retry'],
    [511, 'retry'],
    [599, 'retry'],
    [501, 'drop'],
    [505, 'drop'],
    [413, 'split'],
    [400, 'drop'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [410, 'drop'],
    [422, 'drop'],
    [302, 'retry'],
    [100, 'retry'],
  ])('answers HTTP %i with %s', (status, action) => {
    expect(classifyStatus(status)).toBe(action);
  });
});

describe('backoffDelay', () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 500, maxDelayMs: 60_000, minDelayMs: 100 };

  it.each([
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [8, 60_000],
    [30, 60_000],
  ])('keeps attempt %i within [floor, %i ms]', (attempt, ceiling) => {
    expect(backoffDelay(attempt, () => 0, options)).toBe(100);
    expect(backoffDelay(attempt, () => 0.999_999, options)).toBe(ceiling);
  });

  it('spreads delays across the whole range (full jitter)', () => {
    const samples = [0.1, 0.3, 0.5, 0.7, 0.9].map((value) => backoffDelay(4, () => value, options));
    expect(samples).toEqual([490, 1_270, 2_050, 2_830, 3_610]);
  });

  it('never goes below the floor, so retries cannot spin', () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      expect(backoffDelay(attempt, Math.random, options)).toBeGreaterThanOrEqual(100);
    }
  });

  it('does not overflow for huge attempt counts', () => {
    expect(backoffDelay(5_000, () => 0.5, options)).toBe(30_050);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const cap = 300_000;

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Sun, 29 Nov 2026 12:01:30 GMT', 90_000],
    ['Sun, 29 Nov 2026 11:00:00 GMT', 0],
    ['86400', 300_000],
    ['Mon, 30 Nov 2026 12:00:00 GMT', 300_000],
  ])('reads %j as %i ms (capped)', (value, expected) => {
    expect(parseRetryAfter(value, now, cap)).toBe(expected);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now, cap)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const context = { random: () => 0.5, options: DEFAULT_RETRY_OPTIONS };

  it('uses the backoff when the server gave no Retry-After', () => {
    expect(retryDelay(2, undefined, context)).toBe(backoffDelay(2, () => 0.5, DEFAULT_RETRY_OPTIONS));
  });

  it('uses Retry-After instead, but not below the floor', () => {
    expect(retryDelay(2, 42_000, context)).toBe(42_000);
    expect(retryDelay(2, 0, context)).toBe(DEFAULT_RETRY_OPTIONS.minDelayMs);
  });
});

describe('reachedRetryLimit', () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, maxEventAgeMs: 10_000, maxAttempts: 3 };

  it.each([
    [{ attempts: 1, ageMs: 0 }, 1_000, undefined],
    [{ attempts: 2, ageMs: 9_000 }, 1_000, undefined],
    [{ attempts: 2, ageMs: 9_000 }, 1_001, 'maxEventAgeMs'],
    [{ attempts: 1, ageMs: 86_400_000 }, 100, 'maxEventAgeMs'],
    [{ attempts: 3, ageMs: 0 }, 1_000, 'maxAttempts'],
  ])('for %o waiting %i ms: %s', (state, delayMs, expected) => {
    expect(reachedRetryLimit(state, delayMs, options)).toBe(expected);
  });

  it('bounds retries by age alone at the defaults: a thousand failed attempts in an hour still wait', () => {
    expect(reachedRetryLimit({ attempts: 1_000, ageMs: 3_600_000 }, 300_000, DEFAULT_RETRY_OPTIONS)).toBeUndefined();
    expect(reachedRetryLimit({ attempts: 5, ageMs: 86_300_000 }, 200_000, DEFAULT_RETRY_OPTIONS)).toBe('maxEventAgeMs');
  });
});

describe('actOnServerError', () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, splitAfterServerErrors: 2 };

  it.each([
    [{ status: 500, attempt: 1, eventCount: 10 }, 'wait'],
    [{ status: 500, attempt: 2, eventCount: 10 }, 'split'],
    [{ status: 503, attempt: 7, eventCount: 2 }, 'split'],
    [{ status: 500, attempt: 2, eventCount: 1 }, 'isolate'],
    [{ status: 429, attempt: 5, eventCount: 10 }, 'wait'],
    [{ status: 408, attempt: 5, eventCount: 10 }, 'wait'],
    [{ status: undefined, attempt: 5, eventCount: 10 }, 'wait'],
  ])('for %o: %s', (failure, expected) => {
    expect(actOnServerError(failure, options)).toBe(expected);
  });
});
