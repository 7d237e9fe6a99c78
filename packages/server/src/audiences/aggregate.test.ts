import { describe, expect, it } from 'vitest';
import { type Aggregate, aggregateLimits, aggregates, combineStates, stateOfEvent, valueOfState } from './aggregate.js';

/** The value of events (value, timestamp) combined in the order given. */
function combinedValue(aggregate: Aggregate, events: readonly (readonly [unknown, number])[]): unknown {
  let state: ReturnType<typeof stateOfEvent>;
  for (const [value, timestamp] of events) {
    const next = stateOfEvent(aggregate, value, timestamp);
    if (next === undefined) continue;
    state = state === undefined ? next : combineStates(aggregate, state, next);
  }
  return valueOfState(aggregate, state);
}

describe('computed trait aggregates', () => {
  const events = [
    ['b', 3],
    ['a', 1],
    ['c', 1],
    ['b', 2],
  ] as const;

  it.each([
    ['count', 4],
    ['first', 'a'],
    ['last', 'b'],
    ['mostFrequent', 'b'],
    ['uniqueList', ['b', 'a', 'c']],
    ['uniqueCount', 3],
  ] as const)('%s of strings', (aggregate, expected) => {
    expect(combinedValue(aggregate, events)).toEqual(expected);
  });

  it.each([
    ['sum', 18],
    ['min', 2],
    ['max', 9],
    ['avg', 6],
  ] as const)('%s reads numbers only', (aggregate, expected) => {
    expect(
      combinedValue(aggregate, [
        [7, 1],
        ['8', 2],
        [2, 3],
        [Number.NaN, 4],
        [9, 5],
        [null, 6],
      ]),
    ).toEqual(expected);
  });

  it('answers the same whatever order the events are combined in, ties of timestamp included', () => {
    const tied = [
      ['x', 5],
      ['y', 5],
      ['w', 5],
      [3, 5],
      [true, 1],
      [true, 9],
    ] as const;
    for (const aggregate of aggregates) {
      const forwards = combinedValue(aggregate, tied);
      expect(combinedValue(aggregate, [...tied].reverse()), aggregate).toEqual(forwards);
      expect(combinedValue(aggregate, [tied[2], tied[0], tied[5], tied[1], tied[4], tied[3]]), aggregate).toEqual(
        forwards,
      );
    }
    // A tie of timestamps goes to the value whose JSON text sorts first (first) or last (last).
    expect(
      combinedValue('first', [
        ['y', 5],
        ['x', 5],
      ]),
    ).toBe('x');
    expect(
      combinedValue('last', [
        ['y', 5],
        ['x', 5],
      ]),
    ).toBe('y');
  });

  it('has 0 for count, sum and uniqueCount with no events, and null for the others', () => {
    for (const aggregate of aggregates) {
      const expected = aggregate === 'count' || aggregate === 'sum' || aggregate === 'uniqueCount' ? 0 : null;
      expect(valueOfState(aggregate, undefined), aggregate).toBe(expected);
    }
  });

  it('keeps at most maxDistinct values and leaves out strings longer than maxStringLength', () => {
    const many = Array.from({ length: aggregateLimits.maxDistinct + 5 }, (_, i) => [`v${i}`, i] as const);
    expect(combinedValue('uniqueCount', many)).toBe(aggregateLimits.maxDistinct);
    const long = 'x'.repeat(aggregateLimits.maxStringLength + 1);
    expect(
      combinedValue('last', [
        ['short', 1],
        [long, 2],
      ]),
    ).toBe('short');
    expect(combinedValue('uniqueCount', [[long, 1]])).toBe(0);
  });
});
