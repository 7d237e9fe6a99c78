import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';

const track = (messageId: string) => ({ type: 'track', event: 'E', userId: 'u1', messageId });

describe('idempotent ingestion', () => {
  it('acknowledges a re-sent messageId without storing it again', async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/batch', { batch: [track('m1'), track('m2')] });
    const res = await post('/v1/batch', { batch: [track('m2'), track('m3')] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, deduplicated: 1, rejected: [] });
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps the first copy when one batch holds the same messageId twice', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/batch', {
      batch: [
        { ...track('m1'), event: 'First' },
        { ...track('m1'), event: 'Second' },
      ],
    });
    expect(await res.json()).toMatchObject({ accepted: 1, deduplicated: 1 });
    expect((await storedEvents()).map((row) => row.event)).toEqual(['First']);
  });

  it('treats the same messageId from another source as a different event', async () => {
    const { post, store, storedEvents } = await openTestApp();
    const other = (await store.credentials.create('write_key', { source: 'other' })).secret;
    await post('/v1/track', track('m1'));
    await post('/v1/track', track('m1'), { writeKey: other });
    expect((await storedEvents()).map((row) => row.source)).toEqual(['default', 'other']);
  });

  it('stores concurrent duplicates once', async () => {
    const { post, storedEvents } = await openTestApp();
    const answers = await Promise.all([1, 2, 3, 4].map(() => post('/v1/track', track('same'))));
    const bodies = (await Promise.all(answers.map((res) => res.json()))) as { accepted: number }[];
    expect(bodies.reduce((sum, body) => sum + body.accepted, 0)).toBe(1);
    expect(await storedEvents()).toHaveLength(1);
  });
});
