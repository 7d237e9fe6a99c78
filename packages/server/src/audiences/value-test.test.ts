import { describe, expect, it } from 'vitest';
import { valueOps } from './audience-rule.js';
import { parseRule } from './parse-rule.js';
import { testValue } from './value-test.js';

const day = 24 * 3_600_000;
const now = Date.parse('2026-06-01T00:00:00.000Z');

/** A test as a rule's trait leaf states it, read by parseRule as any definition is. */
const leaf = (op: string, value?: unknown) => parseRule({ trait: 'x', op, ...(value === undefined ? {} : { value }) });
const matches = (actual: unknown, op: string, value?: unknown) =>
  testValue(actual, leaf(op, value) as Parameters<typeof testValue>[1], now).matches;

/** Per op: values that match, values that do not. */
const cases: Record<string, { value?: unknown; yes: unknown[]; no: unknown[] }> = {
  eq: { value: 'pro', yes: ['pro'], no: ['Pro', undefined, 5] },
  neq: { value: 5, yes: ['5', undefined, 6], no: [5] },
  gt: { value: 10, yes: [11], no: [10, '11', undefined] },
  gte: { value: 10, yes: [10, 11], no: [9, undefined] },
  lt: { value: 'm', yes: ['a'], no: ['m', 'z', 1] },
  lte: { value: 'm', yes: ['m', 'a'], no: ['z', undefined] },
  contains: { value: 'ACME', yes: ['team@acme.io', ['ACME']], no: ['acm', ['acme'], undefined] },
  startsWith: { value: 'Ann', yes: ['anna', 'ANN'], no: ['joann', undefined] },
  endsWith: { value: '.IO', yes: ['a@b.io'], no: ['a@b.com', 3] },
  in: { value: ['pro', 2], yes: ['pro', 2], no: ['2', undefined] },
  exists: { yes: ['', 0, false], no: [undefined, null] },
  notExists: { yes: [undefined, null], no: ['', 0] },
  before: { value: '-30d', yes: [now - 31 * day, new Date(now - 31 * day).toISOString()], no: [now - day, 'soon'] },
  after: { value: '-30d', yes: [now - day, new Date(now).toISOString()], no: [now - 31 * day, undefined] },
};

describe('value tests', () => {
  it('covers every op', () => {
    expect(Object.keys(cases).sort()).toEqual([...valueOps].sort());
  });

  it.each(Object.entries(cases))('%s', (op, { value, yes, no }) => {
    for (const actual of yes) expect(matches(actual, op, value), `${JSON.stringify(actual)} ${op}`).toBe(true);
    for (const actual of no) expect(matches(actual, op, value), `${JSON.stringify(actual)} ${op}`).toBe(false);
  });

  it('a fixed date compares the instant; a relative one says when time turns the answer', () => {
    expect(matches('2026-01-01', 'before', '2026-02-01')).toBe(true);
    expect(matches('2026-03-01', 'after', '2026-02-01')).toBe(true);
    const answer = testValue(now - day, leaf('after', '-30d') as Parameters<typeof testValue>[1], now);
    expect(answer).toEqual({ matches: true, changesAt: now - day + 30 * day + 1 });
  });
});
