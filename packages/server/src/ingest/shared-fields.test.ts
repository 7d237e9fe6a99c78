import { describe, expect, it } from 'vitest';
import { keptBytes, keptDepth, measureShared, mergeShared, treeDepth } from './shared-fields.js';

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('treeDepth', () => {
  it.each<[unknown, number]>([
    ['x', 0],
    [null, 0],
    [{}, 1],
    [[], 1],
    [{ a: 1 }, 1],
    [{ a: { b: [1] } }, 3],
    [[{}, [[]]], 3],
  ])('%j is %i levels deep', (value, depth) => {
    expect(treeDepth(value)).toBe(depth);
  });
});

describe('shared batch fields', () => {
  const shared = measureShared({ ip: '1.2.3.4', library: { name: 'lib', v: [1] }, é: 'ü' });

  it('counts the UTF-8 bytes of each "key":value entry', () => {
    expect(shared.entries.get('é')?.bytes).toBe(Buffer.byteLength('"é":"ü"'));
    expect(shared.totalBytes).toBe(bytesOf({ ip: '1.2.3.4', library: { name: 'lib', v: [1] }, é: 'ü' }) - 2 - 2);
  });

  it.each<[string, Record<string, unknown> | undefined, number]>([
    ['no own object keeps every entry', undefined, shared.totalBytes],
    ['an own key not shared keeps every entry', { os: 'x' }, shared.totalBytes],
    [
      'an overridden entry is not counted',
      { ip: '5.6.7.8' },
      shared.totalBytes - bytesOf('ip') - 1 - bytesOf('1.2.3.4'),
    ],
    ['all overridden keeps nothing', { ip: 1, library: 1, é: 1 }, 0],
  ])('keptBytes: %s', (_name, own, bytes) => {
    expect(keptBytes(shared, own)).toBe(bytes);
  });

  it.each<[string, Record<string, unknown> | undefined, number]>([
    ['the deepest entry when kept', undefined, 2],
    ['the next deepest (a scalar) once it is overridden', { library: 'x' }, 0],
    ['0 when all are overridden', { ip: 1, library: 1, é: 1 }, 0],
  ])('keptDepth: %s', (_name, own, depth) => {
    expect(keptDepth(shared, own)).toBe(depth);
  });

  it('merges with the event winning, and leaves the shared object untouched', () => {
    expect(mergeShared(shared, { ip: 'mine', os: 'x' })).toEqual({
      ip: 'mine',
      library: { name: 'lib', v: [1] },
      é: 'ü',
      os: 'x',
    });
    expect(shared.value.ip).toBe('1.2.3.4');
    expect(mergeShared(undefined, { a: 1 })).toEqual({ a: 1 });
  });
});
