import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';
import { defaultIngestLimits, maxEventsPerRequest } from './limits.js';

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
}

const base = { type: 'track', event: 'E', userId: 'u1' };

describe('ingestion limits', () => {
  it('rejects an event over 32 KB on its own and keeps its neighbours', async () => {
    const { post, storedEvents } = await openTestApp();
    const big = { ...base, messageId: 'big', properties: { blob: 'x'.repeat(33_000) } };
    const res = await post('/v1/batch', { batch: [{ ...base, messageId: 'a' }, big, { ...base, messageId: 'b' }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, messageId: 'big', code: 'event_too_large', message: expect.stringMatching(/over the 32768-byte/) },
    ]);
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['a', 'b']);
  });

  it('measures the 32,768-byte limit on the UTF-8 JSON of the event', async () => {
    const { post } = await openTestApp();
    const skeleton = JSON.stringify({ ...base, properties: { s: '' } });
    const fits = { ...base, properties: { s: 'é'.repeat((32_768 - skeleton.length) / 2) } };
    const over = { ...base, properties: { s: `${fits.properties.s}a` } };
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(32_768);
    const res = await post('/v1/batch', { batch: [fits, over] });
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, code: 'event_too_large' }] });
  });

  it('applies the 32 KB limit after the batch context is merged in: a 200 KB shared context stores nothing', async () => {
    const { post, storedEvents } = await openTestApp();
    const tiny = Array.from({ length: 2000 }, (_, i) => ({ ...base, messageId: `t${i}` }));
    // This one overrides the big entry, so its stored form is small: it is kept.
    const overriding = { ...base, messageId: 'own', context: { blob: 'mine' } };
    const res = await post('/v1/batch', {
      context: { blob: 'x'.repeat(200_000), ip: '1.2.3.4' },
      batch: [...tiny, overriding],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(2000);
    expect(body.rejected.every((r, i) => r.index === i && r.code === 'event_too_large')).toBe(true);
    const rows = await storedEvents();
    expect(rows.map((row) => row.message_id)).toEqual(['own']);
    expect(rows[0]?.body.context).toEqual({ blob: 'mine', ip: '1.2.3.4' });
  });

  it('rejects an event under 32 KB that a shared context under 32 KB pushes over it', async () => {
    const { post, storedEvents } = await openTestApp();
    const half = { ...base, messageId: 'half', properties: { s: 'y'.repeat(20_000) } };
    const res = await post('/v1/batch', {
      context: { s: 'x'.repeat(20_000) },
      batch: [{ ...base, messageId: 'small' }, half],
    });
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, messageId: 'half', code: 'event_too_large' }],
    });
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['small']);
  });

  it('applies the 64-level limit after the batch context is merged in', async () => {
    const { post } = await openTestApp();
    // As the shared context's root it is level 1; merged, it becomes the event's level 2.
    const res = await post('/v1/batch', { context: nested(64), batch: [{ ...base, messageId: 'm' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'event_too_deep' }] });
  });

  it(`answers 413 too_many_events for more than ${maxEventsPerRequest} events, and takes exactly that many`, async () => {
    const { post, storedEvents } = await openTestApp();
    const over = await post('/v1/batch', { batch: Array.from({ length: maxEventsPerRequest + 1 }, () => ({})) });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({
      error: {
        code: 'too_many_events',
        message: expect.stringMatching(/10001 events, more than 10000 .*; split the batch$/),
      },
    });
    const atCap = await post('/v1/batch', {
      // Without messageIds (generated) so that 10,000 events fit in the 512 KiB body limit.
      batch: Array.from({ length: maxEventsPerRequest }, () => base),
    });
    expect(await atCap.json()).toMatchObject({ accepted: maxEventsPerRequest, rejected: [] });
    expect(await storedEvents()).toHaveLength(maxEventsPerRequest);
  });

  it('answers 413 batch_too_large, storing nothing, when a shared context inflates the stored events past the cap', async () => {
    // 1 MiB cap; each event stores ~20 KB of shared context: 60 of them come to ~1.2 MB.
    const { post, storedEvents } = await openTestApp({
      limits: { ...defaultIngestLimits, maxStoredBytesPerRequest: 1024 * 1024 },
    });
    const events = Array.from({ length: 60 }, (_, i) => ({ ...base, messageId: `m${i}` }));
    const res = await post('/v1/batch', { context: { blob: 'x'.repeat(20_000) }, batch: events });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        code: 'batch_too_large',
        message: expect.stringMatching(/more than 1048576 bytes as stored.*split the batch$/),
      },
    });
    expect(await storedEvents()).toEqual([]);
    // Half of it fits, as a client that splits on 413 would send it.
    const half = await post('/v1/batch', { context: { blob: 'x'.repeat(20_000) }, batch: events.slice(0, 30) });
    expect(await half.json()).toMatchObject({ accepted: 30 });
  });

  it('rejects an event whose messageId is over 100 characters, keeping its neighbours', async () => {
    const { post, storedEvents } = await openTestApp();
    const longId = 'm'.repeat(101);
    const res = await post('/v1/batch', {
      batch: [
        { ...base, messageId: longId },
        { ...base, messageId: 'ok' },
      ],
    });
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, messageId: longId, code: 'invalid_message_id' }],
    });
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['ok']);
  });

  it('rejects an event nested deeper than 64 levels on its own', async () => {
    const { post } = await openTestApp();
    // The event is level 1 and properties level 2, so properties may hold 62 more levels.
    const deepest = { ...base, messageId: 'ok', properties: nested(63) };
    const tooDeep = { ...base, messageId: 'deep', properties: nested(64) };
    const res = await post('/v1/batch', { batch: [deepest, tooDeep] });
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, messageId: 'deep', code: 'event_too_deep' }],
    });
  });

  it('answers 400, not a crash, for JSON nested far deeper than any stack', async () => {
    const { post } = await openTestApp();
    const res = await post(
      '/v1/track',
      `{"userId":"u","event":"E","properties":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('event_too_deep');
  });

  it('answers 413 for a body over 512 KiB', async () => {
    const { post, storedEvents } = await openTestApp();
    const batch = Array.from({ length: 20 }, (_, i) => ({
      ...base,
      messageId: `m${i}`,
      properties: { s: 'x'.repeat(30_000) },
    }));
    const res = await post('/v1/batch', { batch });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'body_too_large', message: expect.stringContaining('524288') } });
    expect(await storedEvents()).toHaveLength(0);
  });

  it('answers 413 for a small gzip body that inflates past 512 KiB', async () => {
    const { post } = await openTestApp();
    const res = await post('/v1/batch', { batch: [], padding: ' '.repeat(600_000) }, { gzip: true });
    expect(res.status).toBe(413);
  });

  it('accepts a gzip-encoded body', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/batch', { batch: [{ ...base, messageId: 'z' }] }, { gzip: true });
    expect(res.status).toBe(200);
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['z']);
  });

  it('answers 400 for a body claiming gzip that is not', async () => {
    const { post } = await openTestApp();
    const res = await post('/v1/track', base, { headers: { 'Content-Encoding': 'gzip' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_gzip');
  });

  it.each([['{"batch": ['], ['not json'], ['']])('answers 400 malformed_json for the body %j', async (text) => {
    const { post } = await openTestApp();
    const res = await post('/v1/batch', text);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('malformed_json');
    expect(body.error.message).toMatch(/JSON/);
  });

  it('never lets __proto__ or constructor keys reach a prototype', async () => {
    const { post, storedEvents } = await openTestApp();
    const text = `{"batch":[{"type":"identify","userId":"u1","traits":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"name":"Ada"}}],"context":{"__proto__":{"polluted":1}}}`;
    const res = await post('/v1/batch', text);
    expect(res.status).toBe(200);
    const [row] = await storedEvents();
    const traits = row?.body.traits as Record<string, unknown>;
    expect(Object.keys(traits)).toEqual(['name']);
    expect(Object.keys(row?.body.context as object)).toEqual([]);
    // A later step merging these traits (Object.assign runs the __proto__ setter) keeps a plain object;
    // the same merge of the raw parsed traits would not.
    const merged = Object.assign({}, traits) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.polluted).toBeUndefined();
    expect((Object.assign({}, JSON.parse(text).batch[0].traits) as Record<string, unknown>).polluted).toBe(1);
  });
});
