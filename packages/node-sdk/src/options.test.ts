import { describe, expect, it } from 'vitest';
import { type AnalyticsOptions, resolveOptions } from './options.js';

const base = { writeKey: 'wk', host: 'https://weft.example.com' };

describe('resolveOptions', () => {
  it('starts from Segment’s defaults', () => {
    const resolved = resolveOptions(base);
    expect(resolved.url).toBe('https://weft.example.com/v1/batch');
    expect(resolved.delivery).toMatchObject({
      flushAt: 15,
      flushIntervalMs: 10_000,
      requestTimeoutMs: 10_000,
      maxQueueItems: 250_000,
      maxConcurrentRequests: 2,
      retry: { maxEventAgeMs: 86_400_000 },
    });
    expect(resolved).toMatchObject({
      disable: false,
      onFull: 'drop-oldest',
      exitFlushTimeoutMs: 5_000,
      closeTimeoutMs: 30_000,
    });
    expect(resolved.queue).toBeUndefined();
  });

  it.each<[string, Partial<AnalyticsOptions>, Record<string, unknown>]>([
    ['flushAt', { flushAt: 1 }, { delivery: expect.objectContaining({ flushAt: 1 }) }],
    ['flushInterval in ms', { flushInterval: 500 }, { delivery: expect.objectContaining({ flushIntervalMs: 500 }) }],
    [
      'httpRequestTimeout',
      { httpRequestTimeout: 2_000 },
      { delivery: expect.objectContaining({ requestTimeoutMs: 2_000 }) },
    ],
    [
      'maxRetries as retries after the first attempt',
      { maxRetries: 0 },
      { delivery: expect.objectContaining({ retry: { maxEventAgeMs: 86_400_000, maxAttempts: 1 } }) },
    ],
    [
      'maxEventAge in ms',
      { maxEventAge: 3_600_000 },
      { delivery: expect.objectContaining({ retry: { maxEventAgeMs: 3_600_000 } }) },
    ],
    [
      'maxConcurrentRequests',
      { maxConcurrentRequests: 4 },
      { delivery: expect.objectContaining({ maxConcurrentRequests: 4 }) },
    ],
    ['path, without doubling the slash', { host: 'http://h:1/', path: '/v1/b' }, { url: 'http://h:1/v1/b' }],
    ['queue.dir, fsync on by default', { queue: { dir: '/tmp/q' } }, { queue: { dir: '/tmp/q', fsync: true } }],
    ['queue fsync off', { queue: { dir: '/tmp/q', fsync: false } }, { queue: { dir: '/tmp/q', fsync: false } }],
  ])('maps %s', (_name, input, expected) => {
    expect(resolveOptions({ ...base, ...input })).toMatchObject(expected);
  });

  it.each<[Partial<AnalyticsOptions>, RegExp]>([
    [{ writeKey: '' }, /writeKey/],
    [{ host: 'weft.example.com' }, /host/],
    [{ path: 'v1/batch' }, /path/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxEventAge: 0 }, /maxEventAge/],
    [{ onFull: 'block' as never }, /onFull/],
    [{ queue: { dir: '' } }, /queue\.dir/],
    [{ closeTimeout: 0 }, /closeTimeout/],
  ])('refuses %o, naming the option', (input, message) => {
    expect(() => resolveOptions({ ...base, ...input })).toThrow(message);
  });
});
