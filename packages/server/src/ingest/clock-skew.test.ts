import { describe, expect, it } from 'vitest';
import { createTestApp, storedEvents, testStart } from '../testing/test-app.js';
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
  ])('$name', ({ input, expected }) => {
    expect(correctTimestamp(input)).toBe(expected);
  });
});

describe('clock-skew correction on ingest', () => {
  it('corrects with the batch sentAt, keeps originalTimestamp and sets receivedAt', async () => {
    const { post, db, clock } = createTestApp();
    clock.time = testStart; // 12:00:00Z
    await post('/v1/batch', {
      sentAt: '2026-03-01T14:00:00.000Z', // device 2 h fast
      batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T13:59:00.000Z' }],
    });
    const [row] = storedEvents(db);
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
    const { post, db } = createTestApp();
    await post('/v1/batch', {
      sentAt: '2026-03-01T14:00:00.000Z',
      batch: [
        { type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T11:00:00Z', sentAt: '2026-03-01T11:00:10Z' },
      ],
    });
    expect(storedEvents(db)[0]?.body.timestamp).toBe('2026-03-01T11:59:50.000Z');
  });

  it('uses the receive time when the event has no timestamp', async () => {
    const { post, db } = createTestApp();
    await post('/v1/track', { event: 'E', userId: 'u' });
    const [row] = storedEvents(db);
    expect(row?.body.timestamp).toBe(new Date(testStart).toISOString());
    expect(row?.body).not.toHaveProperty('originalTimestamp');
  });

  it('reads timestamp and sentAt without an offset as UTC, whatever the server time zone', async () => {
    const savedTz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const { post, db } = createTestApp();
      await post('/v1/batch', {
        sentAt: '2026-03-01T14:00:00', // device 2 h fast, in UTC
        batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T13:59:00' }],
      });
      expect(storedEvents(db)[0]?.body).toMatchObject({
        timestamp: '2026-03-01T11:59:00.000Z',
        originalTimestamp: '2026-03-01T13:59:00Z',
        sentAt: '2026-03-01T14:00:00.000Z',
      });
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('rejects an event whose timestamp is not an ISO-8601 date', async () => {
    const { post } = createTestApp();
    const res = await post('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u', timestamp: 'March 7' }] });
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ code: 'invalid_field' }] });
  });
});
