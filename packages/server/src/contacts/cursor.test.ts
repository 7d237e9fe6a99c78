import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursor', () => {
  it('round-trips a numeric and a text key', () => {
    const numeric = { sort: '-lastSeenAt', key: 1_772_366_400_000, id: 7 };
    expect(decodeCursor(encodeCursor(numeric), '-lastSeenAt', 'integer')).toEqual(numeric);
    const text = { sort: 'email', key: 'ada@example.com', id: 3 };
    expect(decodeCursor(encodeCursor(text), 'email', 'string')).toEqual(text);
  });

  it('is url-safe text that does not show its fields', () => {
    const cursor = encodeCursor({ sort: 'email', key: 'a+b/c?d@example.com', id: 1 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('example');
  });

  it('refuses a cursor issued for another sort, even the same key reversed', () => {
    const cursor = encodeCursor({ sort: 'lastSeenAt', key: 5, id: 1 });
    expect(decodeCursor(cursor, '-lastSeenAt', 'integer')).toBeUndefined();
    expect(decodeCursor(cursor, 'firstSeenAt', 'integer')).toBeUndefined();
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['truncated', encodeCursor({ sort: 'createdAt', key: 5, id: 1 }).slice(0, -3)],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['JSON but not an object', encode(42)],
    ['another version', encode({ v: 2, s: 'createdAt', k: 5, i: 1 })],
    ['an id that is not a positive integer', encode({ v: 1, s: 'createdAt', k: 5, i: -1 })],
    ['a fractional id', encode({ v: 1, s: 'createdAt', k: 5, i: 1.5 })],
    ['a text key for a numeric sort', encode({ v: 1, s: 'createdAt', k: '5', i: 1 })],
    ['a missing key', encode({ v: 1, s: 'createdAt', i: 1 })],
  ])('refuses %s', (_label, text) => {
    expect(decodeCursor(text, 'createdAt', 'integer')).toBeUndefined();
  });
});
