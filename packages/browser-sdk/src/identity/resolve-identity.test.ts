import { describe, expect, it } from 'vitest';
import { nextGeneration, resolveIdentity, type StoredIdentity } from './resolve-identity.js';

const cookie = (anonymousId: string, generation: number): StoredIdentity => ({ anonymousId, generation });
const full = (anonymousId: string, id: string | undefined, generation: number): StoredIdentity => ({
  anonymousId,
  id,
  traits: id ? { name: id } : {},
  generation,
});

describe('resolveIdentity', () => {
  it.each([
    ['nothing stored', undefined, undefined, undefined, undefined],
    [
      'only the durable record (cookie and localStorage lost in a crash)',
      undefined,
      undefined,
      full('a', 'u1', 5),
      full('a', 'u1', 5),
    ],
    ['only localStorage', undefined, full('a', 'u1', 5), undefined, full('a', 'u1', 5)],
    [
      'durable newer than localStorage (a reset that localStorage missed)',
      undefined,
      full('a', 'u1', 5),
      full('b', undefined, 6),
      full('b', undefined, 6),
    ],
    ['localStorage newer than durable', undefined, full('b', 'u2', 7), full('a', 'u1', 5), full('b', 'u2', 7)],
    ['a tie goes to the durable record', undefined, full('m', undefined, 0), full('a', 'u1', 0), full('a', 'u1', 0)],
    [
      'a stale cookie cannot bring back the visitor a reset replaced',
      cookie('a', 5),
      undefined,
      full('b', undefined, 6),
      full('b', undefined, 6),
    ],
    [
      'a cookie as new as the record gives the anonymousId, the record the user',
      cookie('c', 0),
      full('a', 'u1', 0),
      undefined,
      { ...full('a', 'u1', 0), anonymousId: 'c' },
    ],
    [
      'a newer cookie naming another visitor (a reset on another subdomain) forgets the user',
      cookie('c', 9),
      full('a', 'u1', 5),
      full('a', 'u1', 5),
      cookie('c', 9),
    ],
    [
      'a newer cookie for the same visitor keeps the user',
      cookie('a', 9),
      undefined,
      full('a', 'u1', 5),
      { ...full('a', 'u1', 5), generation: 9 },
    ],
    ['a cookie alone', cookie('c', 3), undefined, undefined, cookie('c', 3)],
    [
      'a cookie and a record without an anonymousId (analytics.js user id only)',
      cookie('c', 0),
      { id: 'u1', generation: 0 },
      undefined,
      { anonymousId: 'c', id: 'u1', generation: 0 },
    ],
  ])('%s', (_, fromCookie, local, durable, expected) => {
    expect(resolveIdentity(fromCookie, local, durable)).toEqual(expected);
  });
});

describe('nextGeneration', () => {
  it('is the time, and grows even where the clock went back', () => {
    expect(nextGeneration(5, 100)).toBe(100);
    expect(nextGeneration(100, 100)).toBe(101);
    expect(nextGeneration(500, 100)).toBe(501);
  });
});
