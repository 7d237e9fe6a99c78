import { describe, expect, it } from 'vitest';
import { findUnserialisable } from './check-value.js';
import { findUnserialisableFast, isPlainJson } from './plain-json.js';

/** `levels` objects, one inside the other, around a string. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { child: value };
  return value;
}

const cycle: Record<string, unknown> = { name: 'loop' };
cycle.self = cycle;

describe('isPlainJson', () => {
  it.each<[string, unknown]>([
    [
      'an event of strings, numbers, booleans, null, arrays and plain objects',
      {
        type: 'track',
        properties: { price: 19.99, tags: ['a', 'b'], isNew: true, none: null, nested: { deep: [1, { x: 'y' }] } },
      },
    ],
    ['undefined fields, which JSON leaves out as the event intends', { maybe: undefined }],
    ['an object without a prototype', Object.create(null)],
    ['64 levels of objects', nested(64)],
  ])('passes %s', (_name, value) => {
    expect(isPlainJson(value)).toBe(true);
    expect(findUnserialisable(value, '')).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['NaN', { price: Number.NaN }],
    ['Infinity in an array', { values: [1, Number.POSITIVE_INFINITY] }],
    ['a BigInt', { id: 10n }],
    ['a function', { run: () => undefined }],
    ['a symbol', { tag: Symbol('x') }],
    ['a Map', { lookup: new Map() }],
    ['a cycle', cycle],
    ['65 levels of objects', nested(65)],
  ])('sends %s to the full check, which refuses it', (_name, value) => {
    expect(isPlainJson(value)).toBe(false);
    expect(findUnserialisable(value, '')).toBeDefined();
  });

  it('sends a Date to the full check, which lets it through (toJSON)', () => {
    const value = { at: new Date(0) };
    expect(isPlainJson(value)).toBe(false);
    expect(findUnserialisable(value, '')).toBeUndefined();
  });
});

describe('findUnserialisableFast', () => {
  it('answers as findUnserialisable does, naming the field at fault', () => {
    const event = { type: 'track', properties: { ok: [1, 'two'], price: Number.NaN } };
    expect(findUnserialisableFast(event)).toEqual(findUnserialisable(event, ''));
    expect(findUnserialisableFast(event)?.field).toBe('properties.price');
    expect(findUnserialisableFast({ type: 'track', at: new Date(0) })).toBeUndefined();
  });
});
