import { describe, expect, it } from 'vitest';
import { openTestApp, testStart } from '../testing/test-app.js';
import { correctTimestamp } from './clock-skew.js';

const t = (iso: string) => Date.parse(iso);

describe('correctTimestamp', () => {
  it.each([
    {
      name: 'device clock 1 h fast: shifted back by the hour',
      input: {
        receivedAt: t('2026-03-01T12:00:05Z'),
        sentAt: t('2026-03-01T13:00:05Z'),
        originalTimestamp: t('2026-03-01T13:00:00Z'),
      },
      expected: t('2026-03-01T12:00:00Z'),
    },
    {
      name: 'device clock 10 min slow: shifted forward',
      input: {
        receivedAt: t('2026-03-01T12:00:00Z'),
        sentAt: t('2026-03-01T11:50:00Z'),
        originalTimestamp: t('2026-03-01T11:49:30Z'),
      },
      expected: t('2026-03-01T11:59:30Z'),
    },
    {
      name: 'no sentAt: the timestamp as sent',
      input: { receivedAt: t('2026-03-01T12:00:00Z'), originalTimestamp: t('2026-02-01T00:00:00Z') },
      expected: t('2026-02-01T00:00:00Z'),
    },
    {
      name: 'no timestamp: the receive time',
      input: { receivedAt: t('2026-03-01T12:00:00Z'), sentAt: t('2020-01-01T00:00:00Z') },
      expected: t('2026-03-01T12:00:00Z'),
    },
    {
      name: 'sentAt before the timestamp (a negative queue time): not corrected',
      input: {
        receivedAt: t('2026-03-01T12:00:00Z'),
        sentAt: t('2026-03-01T10:00:00Z'),
        originalTimestamp: t('2026-03-01T11:00:00Z'),
      },
      expected: t('2026-03-01T11:00:00Z'),
    },
    {
      name: 'queued longer than 30 days: not corrected, so no year +010055 comes of it',
      input: {
        receivedAt: t('2026-03-01T12:00:00Z'),
        sentAt: t('9999-12-31T00:00:00Z'),
        originalTimestamp: t('2000-01-01T00:00:00Z'),
      },
      expected: t('2000-01-01T00:00:00Z'),
    },
    {
      name: 'queued exactly 30 days: corrected',
      input: {
        receivedAt: t('2026-03-31T12:00:00Z'),
        sentAt: t('2026-03-31T13:00:00Z'),
        originalTimestamp: t('2026-03-01T13:00:00Z'),
      },
      expected: t('2026-03-01T12:00:00Z'),
    },
  ])('$name', ({ input, expected }) => {
    expect(correctTimestamp(input)).toEqual({ timestamp: expected, isClamped: false });
  });

  it.each([
    ['9999-12-31T23:59:59Z', undefined, true],
    ['2026-03-01T12:10:01Z', undefined, true],
    ['2026-03-01T12:10:00Z', undefined, false],
    // Corrected first: 2 h ahead, but sent 2 h ahead too, so it happened now.
    ['2026-03-01T14:00:00Z', '2026-03-01T14:00:00Z', false],
    // sentAt in the past of the timestamp: no correction, and the timestamp is far ahead.
    ['2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
  ])(
    'a timestamp of %s (sentAt %s) more than 10 minutes ahead of the receive time is clamped: %s',
    (ts, sent, clamped) => {
      const receivedAt = t('2026-03-01T12:00:00Z');
      const result = correctTimestamp({
        receivedAt,
        originalTimestamp: t(ts),
        sentAt: sent === undefined ? undefined : t(sent),
      });
      expect(result.isClamped).toBe(clamped);
      if (clamped) expect(result.timestamp).toBe(receivedAt);
    },
  );

  it('takes the tolerance and the correction window from its policy', () => {
    const receivedAt = t('2026-03-01T12:00:00Z');
    const policy = { maxFutureMs: 1000, maxCorrectionMs: 60_000 };
    expect(correctTimestamp({ receivedAt, originalTimestamp: receivedAt + 2000 }, policy).isClamped).toBe(true);
    expect(correctTimestamp({ receivedAt, originalTimestamp: receivedAt + 1000 }, policy).isClamped).toBe(false);
    const queued2Min = { receivedAt, originalTimestamp: receivedAt - 500_000, sentAt: receivedAt - 380_000 };
    expect(correctTimestamp(queued2Min, policy).timestamp).toBe(receivedAt - 500_000);
  });
});

describe('clock-skew correction on ingest', () => {
  it('corrects with the batch sentAt, keeps originalTimestamp and sets receivedAt', async () => {
    const { post, storedEvents, clock } = await openTestApp();
    clock.time = testStart; // 12:00:00Z
    await post('/v1/batch', {
      sentAt: '2026-03-01T14:00:00.000Z', // device 2 h fast
      batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T13:59:00.000Z' }],
    });
    const [row] = await storedEvents();
    expect(row?.body).toMatchObject({
      timestamp: '2026-03-01T11:59:00.000Z',
      originalTimestamp: '2026-03-01T13:59:00.000Z',
      receivedAt: '2026-03-01T12:00:00.000Z',
      sentAt: '2026-03-01T14:00:00.000Z',
    });
    expect(row?.timestamp).toBe(Date.parse('2026-03-01T11:59:00.000Z'));
    expect(row?.received_at).toBe(testStart);
  });

  it("prefers the event's own sentAt to the batch's", async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/batch', {
      sentAt: '2026-03-01T14:00:00.000Z',
      batch: [
        { type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T11:00:00Z', sentAt: '2026-03-01T11:00:10Z' },
      ],
    });
    expect((await storedEvents())[0]?.body.timestamp).toBe('2026-03-01T11:59:50.000Z');
  });

  it('uses the receive time when the event has no timestamp', async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/track', { event: 'E', userId: 'u' });
    const [row] = await storedEvents();
    expect(row?.body.timestamp).toBe(new Date(testStart).toISOString());
    expect(row?.body).not.toHaveProperty('originalTimestamp');
  });

  it('reads timestamp and sentAt without an offset as UTC, whatever the server time zone', async () => {
    const savedTz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const { post, storedEvents } = await openTestApp();
      await post('/v1/batch', {
        sentAt: '2026-03-01T14:00:00', // device 2 h fast, in UTC
        batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T13:59:00' }],
      });
      expect((await storedEvents())[0]?.body).toMatchObject({
        timestamp: '2026-03-01T11:59:00.000Z',
        originalTimestamp: '2026-03-01T13:59:00Z',
        sentAt: '2026-03-01T14:00:00.000Z',
      });
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('stores a far-future event at its receive time, keeping what the client sent', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/batch', {
      batch: [{ type: 'identify', userId: 'u', traits: { name: 'Poisoned' }, timestamp: '9999-12-31T00:00:00.000Z' }],
    });
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const [row] = await storedEvents();
    expect(row?.timestamp).toBe(testStart);
    expect(row?.body).toMatchObject({
      timestamp: new Date(testStart).toISOString(),
      originalTimestamp: '9999-12-31T00:00:00.000Z',
    });
  });

  it('refuses a day the calendar does not have, naming it, and keeps the valid neighbour', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'E', userId: 'u', timestamp: '2026-02-30T10:00:00Z' },
        { type: 'track', event: 'E', userId: 'u', timestamp: '2024-02-29T10:00:00Z' },
      ],
    });
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, code: 'invalid_field', message: expect.stringContaining('timestamp holds 2026-02-30') }],
    });
    expect((await storedEvents()).map((row) => row.body.timestamp)).toEqual(['2024-02-29T10:00:00.000Z']);
  });

  it('rejects an event whose timestamp is not an ISO-8601 date', async () => {
    const { post } = await openTestApp();
    const res = await post('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: 'March 7' }] });
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ code: 'invalid_field' }] });
  });
});
