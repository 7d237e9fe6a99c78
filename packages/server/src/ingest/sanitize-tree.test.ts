import { describe, expect, it } from 'vitest';
import { sanitizeTree } from './sanitize-tree.js';

describe('sanitizeTree', () => {
  it.each([
    ['a scalar', 5, 1, undefined],
    ['an empty object at the limit', {}, 1, undefined],
    ['one level too deep', { a: {} }, 1, { code: 'too_deep' }],
    ['arrays count as levels', { a: [[1]] }, 2, { code: 'too_deep' }],
    ['arrays within the limit', { a: [[1]] }, 3, undefined],
    ['scalars do not add a level', { a: 1, b: 'x' }, 1, undefined],
  ])('%s', (_name, value, maxDepth, expected) => {
    expect(sanitizeTree(value, maxDepth)).toEqual(expected);
  });

  it('removes __proto__ and constructor.prototype keys at any depth, keeping other keys', () => {
    const value = JSON.parse(
      '{"a":{"__proto__":{"x":1},"keep":1},"b":[{"constructor":{"prototype":{"x":1}}}],"constructor":"a string is harmless"}',
    );
    expect(sanitizeTree(value, 10)).toBeUndefined();
    expect(value).toEqual({ a: { keep: 1 }, b: [{}], constructor: 'a string is harmless' });
    expect(Object.hasOwn(value.a, '__proto__')).toBe(false);
  });

  it.each([
    ['{"price":1e999}', 'price'],
    ['{"properties":{"items":[1,{"total":-1e999}]}}', 'properties.items[1].total'],
    ['[1e400]', '[0]'],
  ])('names the number JSON gives as infinite in %s', (json, path) => {
    expect(sanitizeTree(JSON.parse(json), 10)).toEqual({ code: 'not_finite', path });
  });

  it('prefixes the path it is given', () => {
    expect(sanitizeTree(JSON.parse('{"ip":1e999}'), 10, 'context')).toEqual({ code: 'not_finite', path: 'context.ip' });
  });
});

describe('sanitizeTree and lone surrogates', () => {
  it('replaces lone surrogates with U+FFFD in strings and keys at any depth, keeping surrogate pairs', () => {
    const value = JSON.parse(
      '{"name":"a\\ud800","traits":{"k\\udc00":"\\ud83d\\ude00","list":["x\\udfff",{"deep":"\\ud800\\ud800"}]},"ok":"é"}',
    );
    expect(sanitizeTree(value, 10)).toBeUndefined();
    expect(value).toEqual({
      name: 'a\ufffd',
      traits: { 'k\ufffd': '😀', list: ['x\ufffd', { deep: '\ufffd\ufffd' }] },
      ok: 'é',
    });
  });

  it('still reports a tree too deep when its strings are being repaired', () => {
    expect(sanitizeTree(JSON.parse('{"a":"\\ud800","b":{"c":{}}}'), 2)).toEqual({ code: 'too_deep' });
  });
});
