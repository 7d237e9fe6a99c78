import { delay, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { createClient, flushOnFakeTime, status, useMswWeft, WRITE_KEY } from './analytics.test-support.js';
import { EventDroppedError } from './params.js';

const weft = useMswWeft();

describe('delivery through the engine', () => {
  it('sends once flushAt events are ready, with Basic auth, and reports each event delivered once', async () => {
    const { analytics, track, deliveredIds } = createClient({ flushAt: 2, maxEventsInBatch: 2 });
    const ids = track(5);
    await flushOnFakeTime(analytics);
    expect(weft.requests.map((request) => request.batch.length)).toEqual([2, 2, 1]);
    expect(weft.requests[0]?.authorization).toBe(`Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`);
    expect(deliveredIds()).toEqual(ids);
  });

  it('sends a partial batch once flushInterval has passed, not before', async () => {
    const { track } = createClient({ flushAt: 10, flushInterval: 5_000 });
    track(1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(weft.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(weft.requests).toHaveLength(1);
  });

  it('retries after 500s and stores the event once, with the same messageId', async () => {
    weft.script = (_request, index) => (index < 2 ? status(500) : undefined);
    const { analytics, track, reports, deliveredIds } = createClient({ flushAt: 1 });
    const [id] = track(1);
    await flushOnFakeTime(analytics);
    expect(weft.sentIds).toEqual([id, id, id]);
    expect([...weft.stored.keys()]).toEqual([id]);
    expect(reports.retry.map((report) => report.attempt)).toEqual([1, 2]);
    expect(deliveredIds()).toEqual([id]);
  });

  it('waits as long as a 503 Retry-After says before retrying', async () => {
    weft.script = (_request, index) => (index === 0 ? status(503, { 'retry-after': '20' }) : undefined);
    const { track } = createClient({ flushAt: 1 });
    track(1);
    await vi.advanceTimersByTimeAsync(19_900);
    expect(weft.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(weft.requests).toHaveLength(2);
    expect(weft.stored.size).toBe(1);
  });

  it('keeps retrying through 429s without spending attempts', async () => {
    weft.script = (_request, index) => (index < 4 ? status(429, { 'retry-after': '1' }) : undefined);
    const { analytics, track, droppedIds } = createClient({ flushAt: 1, maxRetries: 1 });
    const [id] = track(1);
    await flushOnFakeTime(analytics);
    expect([...weft.stored.keys()]).toEqual([id]);
    expect(droppedIds()).toEqual([]);
  });

  it('retries after a network failure', async () => {
    weft.script = (_request, index) => (index === 0 ? HttpResponse.error() : undefined);
    const { analytics, track, reports } = createClient({ flushAt: 1 });
    const [id] = track(1);
    await flushOnFakeTime(analytics);
    expect(weft.sentIds).toEqual([id, id]);
    expect(reports.retry[0]?.reason).toMatch(/fetch failed|Failed to fetch|network/i);
    expect(weft.stored.size).toBe(1);
  });

  it('retries a request unanswered within httpRequestTimeout; the server stores the event once', async () => {
    weft.script = async (_request, index) => {
      if (index === 0) await delay(30_000);
      return undefined;
    };
    const { analytics, track, reports } = createClient({ flushAt: 1, httpRequestTimeout: 2_000 });
    const [id] = track(1);
    await flushOnFakeTime(analytics);
    expect(weft.sentIds).toEqual([id, id]);
    expect(reports.retry[0]?.reason).toMatch(/no answer within 2000 ms/);
    expect([...weft.stored.keys()]).toEqual([id]);
  });

  it('splits a batch the server answers 413 for, and drops a single event it still refuses', async () => {
    weft.script = (request) =>
      request.batch.length > 1 || request.batch[0]?.messageId === 'msg-00003' ? status(413) : undefined;
    const { analytics, track, deliveredIds, droppedIds } = createClient({ flushAt: 4 });
    const ids = track(4);
    await flushOnFakeTime(analytics);
    expect(deliveredIds().sort()).toEqual(ids.filter((id) => id !== 'msg-00003'));
    expect(droppedIds('payload_too_large')).toEqual(['msg-00003']);
  });

  it('reports an event dropped when the server answers 400, and tells its callback why', async () => {
    weft.script = () => status(400, {}, { error: { code: 'bad_request', message: 'nope' } });
    const { analytics } = createClient({ flushAt: 1 });
    const callback = vi.fn();
    void analytics.track({ userId: 'u', event: 'Refused' }, callback);
    await flushOnFakeTime(analytics);
    expect(callback).toHaveBeenCalledOnce();
    const [error, ctx] = callback.mock.calls[0] ?? [];
    expect(error).toBeInstanceOf(EventDroppedError);
    expect((error as EventDroppedError).reason).toMatchObject({
      code: 'http_error',
      status: 400,
      serverCode: 'bad_request',
    });
    expect(ctx.event.event).toBe('Refused');
  });

  it('drops an event after maxRetries retries (maxRetries + 1 attempts)', async () => {
    weft.script = () => status(500);
    const { analytics, track, droppedIds } = createClient({ flushAt: 1, maxRetries: 2 });
    const [id] = track(1);
    await flushOnFakeTime(analytics);
    expect(weft.sentIds).toEqual([id, id, id]);
    expect(droppedIds('retry_limit')).toEqual([id]);
  });

  it('calls back once with no error when the event is delivered', async () => {
    const { analytics } = createClient({ flushAt: 1 });
    const callback = vi.fn();
    void analytics.identify({ userId: 'u', traits: { plan: 'pro' } }, callback);
    await flushOnFakeTime(analytics);
    expect(callback).toHaveBeenCalledOnce();
    expect(callback.mock.calls[0]?.[0]).toBeUndefined();
    expect(callback.mock.calls[0]?.[1].event.traits).toEqual({ plan: 'pro' });
  });

  it('settles every accepted event exactly once — delivered or dropped — through a storm of failures', async () => {
    const answers = [
      () => status(500),
      () => status(503, { 'retry-after': '2' }),
      () => status(429, { 'retry-after': '1' }),
      () => HttpResponse.error(),
      () => status(413),
      () => status(400),
      () => undefined,
      () => undefined,
    ];
    weft.script = (_request, index) => answers[(index * 5) % answers.length]?.();
    const { analytics, track, deliveredIds, droppedIds } = createClient({
      flushAt: 3,
      maxEventsInBatch: 3,
      maxRetries: 3,
    });
    const ids = track(60);
    const result = await flushOnFakeTime(analytics);
    expect(result).toEqual({ isComplete: true, pending: 0 });
    const delivered = deliveredIds();
    const dropped = droppedIds();
    expect([...delivered, ...dropped].sort()).toEqual(ids);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.every((id) => weft.stored.has(id))).toBe(true);
    expect(delivered.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
  });
});

describe('flushing', () => {
  it('with flushAt 1, sends each event at once', async () => {
    const { track } = createClient({ flushAt: 1 });
    track(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(weft.requests).toHaveLength(1);
  });

  it('leaves nothing accepted before `await flush()` unsent, whatever the interval', async () => {
    vi.useRealTimers();
    const { analytics, track, deliveredIds } = createClient({ flushInterval: 3_600_000 });
    const ids = track(3);
    expect(await analytics.flush()).toEqual({ isComplete: true, pending: 0 });
    expect(deliveredIds()).toEqual(ids);
  });

  it('resolves flush({timeout}) incomplete at the timeout while the server keeps failing', async () => {
    weft.script = () => status(503);
    const { analytics, track } = createClient();
    track(2);
    const flushed = analytics.flush({ timeout: 3_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await flushed).toEqual({ isComplete: false, pending: 2 });
  });

  it('closeAndFlush stops at its timeout even with an hour-long flushInterval, and reports the rest dropped', async () => {
    weft.script = () => status(503);
    const { analytics, track, droppedIds } = createClient({ flushInterval: 3_600_000 });
    const ids = track(2);
    const closed = analytics.closeAndFlush({ timeout: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await closed).toEqual({ isComplete: false, pending: 2 });
    expect(droppedIds('shutdown')).toEqual(ids);
    expect(weft.requests.length).toBeGreaterThan(0);
  });
});
