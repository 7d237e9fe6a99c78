import { describe, expect, it } from 'vitest';
import { MAX_EVENT_DEPTH as MAX_DEPTH } from '../wire/wire-rules.js';
import { findUnserialisable, isPlainObject } from './check-value.js';

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

describe('findUnserialisable', () => {
  it('accepts JSON values, Dates and objects with toJSON', () => {
    const value = { s: 'x', n: 1.5, b: true, z: null, u: undefined, when: new Date(), list: [1, 'two', { three: 3 }] };
    expect(findUnserialisable(value, 'properties', 2)).toBeUndefined();
  });

  it('accepts the same object reached twice when it is not a cycle', () => {
    const shared = { id: 1 };
    expect(findUnserialisable({ a: shared, b: [shared, shared] }, 'properties', 2)).toBeUndefined();
  });

  it(`accepts ${MAX_DEPTH} levels and refuses the next`, () => {
    expect(findUnserialisable(nested(MAX_DEPTH), 'event', 1)).toBeUndefined();
    const error = findUnserialisable(nested(MAX_DEPTH + 1), 'event', 1);
    expect(error?.code).toBe('too_deep');
    expect(error?.field).toBe(`event${'.a'.repeat(MAX_DEPTH)}`);
  });

  it('refuses a Set, which JSON would send as {}', () => {
    expect(findUnserialisable({ tags: new Set(['a']) }, 'traits', 2)?.field).toBe('traits.tags');
  });
});

describe('isPlainObject', () => {
  it.each([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [new Date(), false],
    [null, false],
    ['text', false],
    [new (class Model {})(), false],
  ])('%o → %s', (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
