import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { loadCursorCodec } from '../storage/sqlite/server-secrets.js';
import { createCursorCodec } from './cursor.js';

const codec = createCursorCodec(randomBytes(32));

describe('cursor', () => {
  it('round-trips a numeric and a text key', () => {
    const numeric = { sort: '-lastSeenAt', key: 1_772_366_400_000, id: 7 };
    expect(codec.decode(codec.encode(numeric), '-lastSeenAt', 'integer')).toEqual(numeric);
    const text = { sort: 'email', key: 'ada@example.com', id: 3 };
    expect(codec.decode(codec.encode(text), 'email', 'string')).toEqual(text);
  });

  it('is url-safe text that does not show its fields', () => {
    const cursor = codec.encode({ sort: 'email', key: 'a+b/c?d@example.com', id: 1 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(cursor).not.toContain('example');
  });

  it('refuses a cursor issued for another sort, even the same key reversed', () => {
    const cursor = codec.encode({ sort: 'lastSeenAt', key: 5, id: 1 });
    expect(codec.decode(cursor, '-lastSeenAt', 'integer')).toBeUndefined();
    expect(codec.decode(cursor, 'firstSeenAt', 'integer')).toBeUndefined();
  });

  it('refuses a MAC whose last character carries bits a 16-byte MAC does not have', () => {
    const issued = codec.encode({ sort: 'createdAt', key: 5, id: 1 });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(issued.at(-1) as string);
    // 22 characters hold 132 bits: the last 4 of the final character are padding, always 0 as issued.
    const twin = `${issued.slice(0, -1)}${alphabet[last | 1]}`;
    expect(Buffer.from(twin.split('.')[1] as string, 'base64url')).toEqual(
      Buffer.from(issued.split('.')[1] as string, 'base64url'),
    );
    expect(codec.decode(twin, 'createdAt', 'integer')).toBeUndefined();
  });

  it('refuses a cursor it did not issue: one altered, or one signed under another key', () => {
    const issued = codec.encode({ sort: 'createdAt', key: 5, id: 1 });
    const [payload, mac] = issued.split('.') as [string, string];
    const moved = Buffer.from(JSON.stringify({ v: 1, s: 'createdAt', k: 5_000, i: 1 })).toString('base64url');
    expect(codec.decode(`${moved}.${mac}`, 'createdAt', 'integer')).toBeUndefined();
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    expect(codec.decode(`${payload}.${flipped}`, 'createdAt', 'integer')).toBeUndefined();
    const otherServer = createCursorCodec(randomBytes(32));
    expect(otherServer.decode(issued, 'createdAt', 'integer')).toBeUndefined();
    // The unsigned form cursors had before migration 013.
    expect(codec.decode(payload, 'createdAt', 'integer')).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['truncated', codec.encode({ sort: 'createdAt', key: 5, id: 1 }).slice(0, -3)],
    ['without its MAC', `${codec.encode({ sort: 'createdAt', key: 5, id: 1 }).split('.')[0]}.`],
    ['with == appended', `${codec.encode({ sort: 'createdAt', key: 5, id: 1 })}==`],
    [
      'with a character Node would skip inside the MAC',
      codec.encode({ sort: 'createdAt', key: 5, id: 1 }).replace(/(\.[^.]{5})/, '$1='),
    ],
    ['with a space appended', `${codec.encode({ sort: 'createdAt', key: 5, id: 1 })} `],
    ['with a second dot', `${codec.encode({ sort: 'createdAt', key: 5, id: 1 })}.x`],
  ])('refuses %s', (_label, text) => {
    expect(codec.decode(text, 'createdAt', 'integer')).toBeUndefined();
  });

  it('reads back only the shapes it issues, even under a valid MAC', () => {
    // Signed as encode signs, so only what is inside can be wrong.
    const key = randomBytes(32);
    const sign = (value: unknown) => {
      const payload = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
      return `${payload}.${createHmac('sha256', key).update(payload).digest().subarray(0, 16).toString('base64url')}`;
    };
    const keyed = createCursorCodec(key);
    const good = { v: 1, s: 'createdAt', k: 5, i: 1 };
    expect(keyed.decode(sign(good), 'createdAt', 'integer')).toEqual({ sort: 'createdAt', key: 5, id: 1 });
    for (const value of [
      'not json',
      42,
      { ...good, v: 2 },
      { ...good, i: -1 },
      { ...good, i: 1.5 },
      { ...good, k: '5' },
      { v: 1, s: 'createdAt', i: 1 },
    ]) {
      expect({ value, read: keyed.decode(sign(value), 'createdAt', 'integer') }).toEqual({ value, read: undefined });
    }
  });

  it('answers 400 invalid_cursor for what it refuses, naming the field', () => {
    expect(() => codec.read('nope', 'createdAt', 'integer')).toThrow(ApiError);
    try {
      codec.read('nope', 'createdAt', 'integer');
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
      expect((error as Error).message).toMatch(/^cursor: /);
    }
  });

  it("signs under the database's own key, so cursors outlive a restart and not a move", () => {
    const db = openDatabase(':memory:');
    const cursor = loadCursorCodec(db).encode({ sort: 'createdAt', key: 5, id: 1 });
    expect(loadCursorCodec(db).decode(cursor, 'createdAt', 'integer')).toEqual({ sort: 'createdAt', key: 5, id: 1 });
    expect(loadCursorCodec(openDatabase(':memory:')).decode(cursor, 'createdAt', 'integer')).toBeUndefined();
  });
});
