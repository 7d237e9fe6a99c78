import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` requests per window per key, then refuses until the window ends', async () => {
    let now = 10_500;
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 }, () => now);
    expect(await limiter.take('a')).toEqual({ allowed: true, remaining: 1, resetAt: 11_000 });
    expect(await limiter.take('a')).toEqual({ allowed: true, remaining: 0, resetAt: 11_000 });
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 500, resetAt: 11_000 });
    expect((await limiter.take('b')).allowed).toBe(true);
    now = 11_000;
    expect((await limiter.take('a')).allowed).toBe(true);
  });
});

describe('rate limiting on ingest', () => {
  it('is off by default', async () => {
    const { post } = await openTestApp();
    for (let i = 0; i < 20; i++) expect((await post('/v1/track', { userId: 'u', event: 'E' })).status).toBe(200);
  });

  it('answers 429 with Retry-After and X-RateLimit-Reset once a write key is over its limit', async () => {
    const { post, clock } = await openTestApp({ rateLimit: { limit: 2, windowMs: 60_000 } });
    clock.time = Date.parse('2026-03-01T12:00:15Z');
    const event = { userId: 'u', event: 'E' };
    expect((await post('/v1/track', event)).status).toBe(200);
    expect((await post('/v1/track', event)).status).toBe(200);
    const res = await post('/v1/track', event);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('45');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2026-03-01T12:01:00Z') / 1000));
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    clock.time = Date.parse('2026-03-01T12:01:00Z');
    expect((await post('/v1/track', event)).status).toBe(200);
  });

  it('refuses a throttled header key before reading the body: a malformed body still gets 429', async () => {
    const { post } = await openTestApp({ rateLimit: { limit: 1, windowMs: 60_000 } });
    expect((await post('/v1/track', { userId: 'u', event: 'E' })).status).toBe(200);
    const res = await post('/v1/track', 'not json at all');
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('still limits a key sent in the body, once the body is parsed', async () => {
    const { post, writeKey } = await openTestApp({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const event = { writeKey, userId: 'u', event: 'E' };
    expect((await post('/v1/track', event, { writeKey: null })).status).toBe(200);
    expect((await post('/v1/track', event, { writeKey: null })).status).toBe(429);
    // Both ways count against the same key.
    expect((await post('/v1/track', { userId: 'u', event: 'E' })).status).toBe(429);
  });
});
