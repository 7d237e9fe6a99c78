import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from './parse-timestamp.js';

// Run in a zone far from UTC, so that reading an offset-less time as local time would show.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Pacific/Auckland';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('parseTimestamp', () => {
  it('runs in a time zone that is not UTC (else the table below proves nothing)', () => {
    expect(new Date(Date.UTC(2020, 0, 1)).getTimezoneOffset()).not.toBe(0);
  });

  it.each<[unknown, number | undefined, string | undefined]>([
    [undefined, undefined, undefined],
    [null, undefined, undefined],
    ['2020-01-01T00:00:00Z', Date.UTC(2020, 0, 1), '2020-01-01T00:00:00Z'],
    ['2020-01-01T00:00:00', Date.UTC(2020, 0, 1), '2020-01-01T00:00:00Z'],
    ['2020-01-01T00:00', Date.UTC(2020, 0, 1), '2020-01-01T00:00Z'],
    ['2020-01-01T10:20:30.456', Date.UTC(2020, 0, 1, 10, 20, 30, 456), '2020-01-01T10:20:30.456Z'],
    ['2020-01-01 10:20:30', Date.UTC(2020, 0, 1, 10, 20, 30), '2020-01-01T10:20:30Z'],
    ['2020-07-01T00:00:00', Date.UTC(2020, 6, 1), '2020-07-01T00:00:00Z'],
    ['2020-01-01', Date.UTC(2020, 0, 1), '2020-01-01'],
    ['2020-01-01T02:00:00+02:00', Date.UTC(2020, 0, 1), '2020-01-01T02:00:00+02:00'],
    ['2019-12-31T19:00:00-05:00', Date.UTC(2020, 0, 1), '2019-12-31T19:00:00-05:00'],
  ])('reads %j as %s', (value, ms, text) => {
    expect(parseTimestamp(value)).toEqual({ ok: true, ms, text });
  });

  it.each([['yesterday'], ['March 7, 2020'], [1_700_000_000_000], ['2020-13-45T00:00:00'], [{}]])(
    'refuses %j',
    (value) => {
      expect(parseTimestamp(value)).toMatchObject({ ok: false });
    },
  );

  it.each([
    ['2026-02-30T00:00:00Z', 'not a day of the calendar'],
    ['2026-02-29', 'not a day of the calendar'],
    ['2100-02-29T00:00:00Z', 'not a day of the calendar'],
    ['2026-04-31T10:00:00.000Z', 'not a day of the calendar'],
    ['2026-00-10T10:00:00Z', 'not a day of the calendar'],
    ['2026-01-00T10:00:00Z', 'not a day of the calendar'],
    ['2026-02-28T24:00:00Z', 'hours run from 00 to 23'],
  ])('refuses %j, which Date.parse would roll over, naming why', (value, reason) => {
    const parsed = parseTimestamp(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it.each([['2024-02-29T00:00:00Z'], ['2000-02-29'], ['2026-12-31T23:59:59.999Z']])(
    'accepts the real day %j',
    (value) => {
      expect(parseTimestamp(value)).toMatchObject({ ok: true, ms: Date.parse(value) });
    },
  );
});
