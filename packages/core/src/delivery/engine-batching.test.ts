import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { utf8ByteLength } from '../event/event-size.js';
import { setupEngine, trackEvent, useFakeTime } from './engine.test-support.js';
import { ok } from './fake-server.test-support.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('when the engine sends', () => {
  it('sends a batch as soon as flushAt events are queued', async () => {
    const { server, track } = setupEngine({ flushAt: 3 });
    track(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests).toHaveLength(0);
    track(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.batch).toHaveLength(3);
  });

  it('sends what is queued once the flush interval has passed since the oldest event', async () => {
    const { server, track } = setupEngine({ flushAt: 100, flushIntervalMs: 5_000 });
    track(1);
    await vi.advanceTimersByTimeAsync(3_000);
    track(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests.map((request) => request.batch.length)).toEqual([2]);
  });

  it('starts a new request when the next event would take the body past maxBatchBytes', async () => {
    // Each event carries 300 CJK characters: 900 UTF-8 bytes but only 300 UTF-16 units.
    const text = '漢'.repeat(300);
    const maxBatchBytes = 4_000;
    const { server, track } = setupEngine({ flushAt: 1_000, maxBatchBytes });
    track(10, { text });
    await vi.advanceTimersByTimeAsync(0);
    await vi.runAllTimersAsync();
    expect(server.requests.length).toBeGreaterThan(1);
    for (const request of server.requests) {
      const body = JSON.stringify(request.body);
      expect(request.bytes).toBe(utf8ByteLength(body));
      expect(request.bytes).toBeLessThanOrEqual(maxBatchBytes);
    }
    // Full requests: adding the next event would have gone over.
    const first = server.requests[0];
    const eventBytes = utf8ByteLength(JSON.stringify(first?.batch[0]));
    expect((first?.bytes ?? 0) + eventBytes + 1).toBeGreaterThan(maxBatchBytes);
    expect(server.stored.size).toBe(10);
  });

  it('queues the JSON a caller has already made instead of serialising the event again', async () => {
    const { server, engine } = setupEngine({ flushAt: 1 });
    const event = trackEvent({ n: 1 });
    // The caller's JSON (what serialiseEvent made when the call came in) is what goes out.
    const json = JSON.stringify({ ...event, properties: { n: 1, madeBy: 'caller' } });
    expect(engine.enqueue(event, { json, bytes: utf8ByteLength(json) }).ok).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests[0]?.batch[0]).toMatchObject({ properties: { n: 1, madeBy: 'caller' } });
  });

  it('caps a backlog request at maxBatchEvents', async () => {
    let release: () => void = () => {};
    const { server, track } = setupEngine({
      flushAt: 2,
      maxBatchEvents: 3,
      answer: (_request, index) => (index === 0 ? new Promise((resolve) => (release = () => resolve(ok()))) : ok()),
    });
    track(9);
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    // The last one is below flushAt: it waits for the interval.
    expect(server.requests.map((request) => request.batch.length)).toEqual([2, 3, 3]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests.map((request) => request.batch.length)).toEqual([2, 3, 3, 1]);
  });

  it('counts emoji as four bytes in the request size', async () => {
    const { server, track } = setupEngine({ flushAt: 1 });
    track(1, { mood: '🎉🎉🎉' });
    await vi.advanceTimersByTimeAsync(0);
    const request = server.requests[0];
    expect(request?.bytes).toBe(new TextEncoder().encode(JSON.stringify(request?.body)).length);
  });

  it('puts writeKey and sentAt in the envelope', async () => {
    const { server, track } = setupEngine({ flushAt: 1, envelope: { writeKey: 'wk_123' } });
    track(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests[0]?.body).toMatchObject({ writeKey: 'wk_123', sentAt: '2026-11-29T12:00:00.000Z' });
  });

  it('leaves no timer scheduled once the queue is empty', async () => {
    const { engine, track } = setupEngine({ flushAt: 10, flushIntervalMs: 1_000 });
    expect(vi.getTimerCount()).toBe(0);
    track(3);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not send while a request holds the only slot, then sends the backlog in one request', async () => {
    let release: () => void = () => {};
    const { server, track } = setupEngine({
      flushAt: 2,
      answer: (_request, index) => (index === 0 ? new Promise((resolve) => (release = () => resolve(ok()))) : ok()),
    });
    track(6);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests.map((request) => request.batch.length)).toEqual([2, 4]);
  });
});

describe('flush', () => {
  it('resolves once every event queued before it is delivered', async () => {
    const { engine, server, track } = setupEngine({ flushAt: 100, flushIntervalMs: 60_000 });
    const ids = track(5);
    const result = await engine.flush();
    expect(result).toEqual({ isComplete: true, pending: 0 });
    expect([...server.stored.keys()]).toEqual(ids);
  });

  it('does not wait for events queued during the flush', async () => {
    let calls = 0;
    const { engine, track } = setupEngine({
      flushAt: 2,
      flushIntervalMs: 60_000,
      answer: () => {
        calls++;
        return new Promise((resolve) => setTimeout(() => resolve(ok()), 100));
      },
    });
    track(2);
    let isFlushed = false;
    const flushed = engine.flush().then(() => (isFlushed = true));
    await vi.advanceTimersByTimeAsync(10);
    // Queued during the flush and sent behind it, with a request still pending.
    track(1);
    await vi.advanceTimersByTimeAsync(90);
    await flushed;
    expect(isFlushed).toBe(true);
    expect(calls).toBe(1);
    expect(engine.size).toBe(1);
  });

  it('sends partial batches and waits through retries until delivered', async () => {
    const { engine, server, track } = setupEngine({
      flushAt: 100,
      answer: (_request, index) => (index < 2 ? { kind: 'response', status: 503 } : ok()),
    });
    const ids = track(3);
    const flushed = engine.flush();
    await vi.runAllTimersAsync();
    expect(await flushed).toEqual({ isComplete: true, pending: 0 });
    // The second 503 in a row halves the batch: 3, 3, then 2 and 1.
    expect(server.requests.map((request) => request.batch.length)).toEqual([3, 3, 2, 1]);
    expect([...server.stored.keys()]).toEqual(ids);
  });

  it('resolves incomplete at its timeout, counting what is still pending', async () => {
    const { engine, track } = setupEngine({ answer: () => new Promise(() => {}), requestTimeoutMs: 60_000 });
    track(4);
    const flushed = engine.flush({ timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await flushed).toEqual({ isComplete: false, pending: 4 });
  });

  it('counts a dropped event as settled', async () => {
    const { engine, track, droppedIds } = setupEngine({ answer: () => ({ kind: 'response', status: 400 }) });
    const ids = track(2);
    expect(await engine.flush()).toEqual({ isComplete: true, pending: 0 });
    expect(droppedIds('http_error')).toEqual(ids);
  });

  it('answers at once when nothing is queued', async () => {
    const { engine } = setupEngine();
    expect(await engine.flush()).toEqual({ isComplete: true, pending: 0 });
  });
});

describe('enqueue', () => {
  it('refuses an event over 32 KB of UTF-8 JSON, naming the limit', () => {
    const { engine } = setupEngine();
    // 11,000 × 3 bytes = 33,000 bytes, though only 11,000 UTF-16 units.
    const result = engine.enqueue(trackEvent({ text: '字'.repeat(11_000) }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('too_large');
      expect(result.error.message).toMatch(/32768-byte limit/);
    }
    expect(engine.size).toBe(0);
  });

  it('accepts an event of exactly 32,768 bytes and refuses one a byte longer', () => {
    const { engine } = setupEngine();
    const base = trackEvent({ text: '' });
    const fill = 32_768 - utf8ByteLength(JSON.stringify(base));
    const text = 'é'.repeat(Math.floor(fill / 2)) + 'a'.repeat(fill % 2);
    const event = { ...base, properties: { text } };
    expect(utf8ByteLength(JSON.stringify(event))).toBe(32_768);
    expect(engine.enqueue(event).ok).toBe(true);
    const longer = { ...trackEvent(), properties: { text: `${text}a` } };
    expect(utf8ByteLength(JSON.stringify(longer))).toBe(32_769);
    expect(engine.enqueue(longer).ok).toBe(false);
  });

  it('keeps one copy of an event queued twice with the same messageId', async () => {
    const { engine, server } = setupEngine({ flushAt: 100 });
    const event = trackEvent();
    engine.enqueue(event);
    engine.enqueue(event);
    await engine.flush();
    expect(server.sentMessageIds).toEqual([event.messageId]);
  });
});

describe('queue bounds through the engine', () => {
  it('drops the oldest events with a queue_full report, and sends the rest', async () => {
    const { engine, server, track, droppedIds, reports } = setupEngine({ flushAt: 100, maxQueueItems: 3 });
    const ids = track(5);
    expect(droppedIds('queue_full')).toEqual(ids.slice(0, 2));
    const dropped = reports.find((report) => report.type === 'dropped');
    expect(dropped?.type === 'dropped' && dropped.reason.message).toMatch(/queue is full \(3 events/);
    await engine.flush();
    expect([...server.stored.keys()]).toEqual(ids.slice(2));
  });

  it('reports a failed storage write as an error and still delivers the event', async () => {
    const store = {
      load: async () => [],
      put: async () => {
        throw new Error('quota exceeded');
      },
      remove: async () => {},
    };
    const { engine, server, reports } = setupEngine({ flushAt: 100, store });
    const result = engine.enqueue(trackEvent());
    if (!result.ok) throw result.error;
    await expect(result.stored).rejects.toThrow('quota exceeded');
    await engine.flush();
    expect(reports.some((report) => report.type === 'error' && /quota exceeded/.test(report.error.message))).toBe(true);
    expect([...server.stored.keys()]).toEqual([result.messageId]);
  });
});
