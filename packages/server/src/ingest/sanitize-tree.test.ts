import { describe, expect, it } from 'vitest';
import { sanitizeTree } from './sanitize-tree.js';

describe('sanitizeTree', () => {
  it.each([
    ['a scalar', 5, 1, 'ok'],
    ['an empty object at the limit', {}, 1, 'ok'],
    ['one level too deep', { a: {} }, 1, 'too_deep'],
    ['arrays count as levels', { a: [[1]] }, 2, 'too_deep'],
    ['arrays within the limit', { a: [[1]] }, 3, 'ok'],
    ['scalars do not add a level', { a: 1, b: 'x' }, 1, 'ok'],
  ])('%s', (_name, value, maxDepth, expected) => {
    expect(sanitizeTree(value, maxDepth)).toBe(expected);
  });

  it('removes __proto__ and constructor.prototype keys at any depth, keeping other keys', () => {
    const value = JSON.parse(
      '{"a":{"__proto__":{"x":1},"keep":1},"b":[{"constructor":{"prototype":{"x":1}}}],"constructor":"a string is harmless"}',
    );
    expect(sanitizeTree(value, 10)).toBe('ok');
    expect(value).toEqual({ a: { keep: 1 }, b: [{}], constructor: 'a string is harmless' });
    expect(Object.hasOwn(value.a, '__proto__')).toBe(false);
  });
});

describe('sanitizeTree and lone surrogates', () => {
  it('replaces lone surrogates with U+FFFD in strings and keys at any depth, keeping surrogate pairs', () => {
    const value = JSON.parse(
      '{"userId":"a\\ud800","traits":{"k\\udc00":"\\ud83d\\ude00","list":["x\\udfff",{"deep":"\\ud800\\ud800"}]},"ok":"é"}',
    );
    expect(sanitizeTree(value, 10)).toBe('ok');
    expect(value).toEqual({
      userId: 'a\ufffd',
      traits: { 'k\ufffd': '😀', list: ['x\ufffd', { deep: '\ufffd\ufffd' }] },
      ok: 'é',
    });
  });

  it('still reports a tree too deep when its strings are being repaired', () => {
    expect(sanitizeTree(JSON.parse('{"a":"\\ud800","b":{"c":{}}}'), 2)).toBe('too_deep');
  });
});
