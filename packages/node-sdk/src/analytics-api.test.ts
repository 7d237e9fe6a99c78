import { InvalidEventError } from '@weft/core';
import { describe, expect, it, vi } from 'vitest';
import { createClient, flushOnFakeTime, useMswWeft } from './analytics.test-support.js';
import { LIBRARY_NAME, VERSION } from './version.js';

const weft = useMswWeft();

function thrownBy(call: () => unknown): InvalidEventError {
  try {
    call();
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('the call did not throw');
}

describe('bad calls fail at the call, naming the field', () => {
  it.each([
    ['no userId and no anonymousId', () => ({ event: 'E' }), 'missing_identity', 'userId'],
    ['a track without event', () => ({ userId: 'u' }), 'missing_field', 'event'],
    [
      'an event over 32 KB',
      () => ({ userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(33_000) } }),
      'too_large',
      'event',
    ],
    [
      'properties that cannot be sent',
      () => ({ userId: 'u', event: 'E', properties: { n: Number.NaN } }),
      'not_serialisable',
      'properties.n',
    ],
  ])('%s', (_name, params, code, field) => {
    const { analytics } = createClient();
    const error = thrownBy(() => analytics.track(params() as never));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(analytics.queued).toBe(0);
  });

  it('refuses the same way when onFull is wait', () => {
    const { analytics } = createClient({ onFull: 'wait' });
    const error = thrownBy(() =>
      analytics.track({ userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(33_000) } }),
    );
    expect(error.code).toBe('too_large');
  });

  it('names a bad option at construction', () => {
    expect(() => createClient({ host: 'weft.example.com' })).toThrow(/host must be an http\(s\) URL/);
  });
});

describe('the calls', () => {
  it('sends identify, track, page, screen, group and alias as Segment events carrying this library', async () => {
    const { analytics } = createClient({ flushAt: 6 });
    void analytics.identify({ userId: 'u', traits: { plan: 'pro' } });
    void analytics.track({ userId: 'u', event: 'Order Completed', properties: { total: 3 } });
    void analytics.page({ anonymousId: 'a', name: 'Pricing', category: 'Docs' });
    void analytics.screen({ userId: 'u', name: 'Home' });
    void analytics.group({ userId: 'u', groupId: 'acme', traits: { size: 4 } });
    void analytics.alias({ userId: 'u', previousId: 'a' });
    await flushOnFakeTime(analytics);
    const batch = weft.requests[0]?.batch ?? [];
    expect(batch.map((event) => event.type)).toEqual(['identify', 'track', 'page', 'screen', 'group', 'alias']);
    expect(batch[2]).toMatchObject({ anonymousId: 'a', name: 'Pricing', category: 'Docs' });
    expect(batch[4]).toMatchObject({ groupId: 'acme', traits: { size: 4 } });
    expect(batch[5]).toMatchObject({ userId: 'u', previousId: 'a' });
    expect(batch[1]?.context.library).toEqual({ name: LIBRARY_NAME, version: VERSION });
  });

  it('keeps the caller’s messageId, timestamp, context and integrations', async () => {
    const { analytics } = createClient({ flushAt: 1, context: { app: { name: 'billing' } } });
    void analytics.track({
      userId: 'u',
      event: 'E',
      messageId: 'job-42',
      timestamp: new Date('2020-01-02T03:04:05.000Z'),
      context: { ip: '1.2.3.4' },
      integrations: { All: false },
    });
    await flushOnFakeTime(analytics);
    expect(weft.requests[0]?.batch[0]).toMatchObject({
      messageId: 'job-42',
      timestamp: '2020-01-02T03:04:05.000Z',
      context: { ip: '1.2.3.4', app: { name: 'billing' } },
      integrations: { All: false },
    });
  });

  it('takes the type from the method, not from a `type` in the params, and accepts params of a class', async () => {
    class OrderParams {
      userId = 'u';
      event = 'Order Completed';
    }
    const { analytics } = createClient({ flushAt: 2 });
    void analytics.track({ userId: 'u', event: 'E', type: 'identify' } as never);
    void analytics.track(new OrderParams());
    await flushOnFakeTime(analytics);
    const batch = weft.requests[0]?.batch ?? [];
    expect(batch.map((event) => [event.type, 'event' in event ? event.event : undefined])).toEqual([
      ['track', 'E'],
      ['track', 'Order Completed'],
    ]);
  });

  it('with disable, validates, calls back at once and sends nothing', async () => {
    const { analytics } = createClient({ disable: true, flushAt: 1 });
    const callback = vi.fn();
    void analytics.track({ userId: 'u', event: 'E' }, callback);
    expect(callback).toHaveBeenCalledWith(undefined, expect.objectContaining({ event: expect.anything() }));
    expect(() => analytics.track({ userId: 'u' } as never)).toThrow(InvalidEventError);
    await flushOnFakeTime(analytics);
    expect(weft.requests).toHaveLength(0);
  });

  it('refuses calls after closeAndFlush with an error report and the callback', async () => {
    const { analytics, reports } = createClient();
    await analytics.closeAndFlush();
    const callback = vi.fn();
    void analytics.track({ userId: 'u', event: 'Late' }, callback);
    expect(callback.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    expect(reports.error[0]?.error.message).toMatch(/after closeAndFlush/);
    expect(weft.requests).toHaveLength(0);
  });

  it('accepts listeners for Segment-only events, so a Segment script runs, and never calls them', async () => {
    const { analytics, track } = createClient({ flushAt: 1 });
    const listener = vi.fn();
    expect(() => analytics.on('http_request' as never, listener)).not.toThrow();
    track(1);
    await flushOnFakeTime(analytics);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps delivering when a listener throws', async () => {
    const { analytics, track, deliveredIds } = createClient({ flushAt: 1 });
    analytics.on('delivered', () => {
      throw new Error('listener bug');
    });
    const ids = track(2);
    await flushOnFakeTime(analytics);
    expect(deliveredIds()).toEqual(ids);
  });
});

describe('a full memory queue', () => {
  it('drops the oldest events and reports them queue_full', async () => {
    const { track, droppedIds } = createClient({ maxQueueSize: 3, flushAt: 100 });
    const ids = track(5);
    expect(droppedIds('queue_full')).toEqual(ids.slice(0, 2));
  });

  it("with onFull 'wait', makes the caller wait until deliveries free room, dropping nothing", async () => {
    const { analytics, deliveredIds, droppedIds } = createClient({ maxQueueSize: 2, flushAt: 2, onFull: 'wait' });
    const first = analytics.track({ userId: 'u', event: 'A', messageId: 'a' });
    const second = analytics.track({ userId: 'u', event: 'B', messageId: 'b' });
    let thirdAdmitted = false;
    const third = analytics.track({ userId: 'u', event: 'C', messageId: 'c' }).then(() => (thirdAdmitted = true));
    await Promise.all([first, second]);
    expect(thirdAdmitted).toBe(false);
    expect(analytics.queued).toBe(3);
    await vi.advanceTimersByTimeAsync(0);
    await third;
    expect(thirdAdmitted).toBe(true);
    await flushOnFakeTime(analytics);
    expect(deliveredIds()).toEqual(['a', 'b', 'c']);
    expect(droppedIds()).toEqual([]);
  });

  it("with onFull 'wait', flush() also waits for the calls still waiting", async () => {
    const { analytics, deliveredIds } = createClient({ maxQueueSize: 1, flushAt: 5, onFull: 'wait' });
    for (const id of ['a', 'b', 'c']) void analytics.track({ userId: 'u', event: 'E', messageId: id });
    const result = await flushOnFakeTime(analytics);
    expect(result.isComplete).toBe(true);
    expect(deliveredIds()).toEqual(['a', 'b', 'c']);
  });
});
