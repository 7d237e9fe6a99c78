import { describe, expect, it } from 'vitest';
import { createPendingUploads } from './pending-uploads.js';

const file = (text: string) => ({ fileName: 'f.csv', text });

describe('pending uploads', () => {
  it('gives an upload back to its uploader only, until it expires after 30 minutes', () => {
    const clock = { time: 0 };
    const uploads = createPendingUploads(() => clock.time);
    const token = uploads.put('u1', file('email\na@example.com'));
    expect(uploads.get('u1', token)).toEqual(file('email\na@example.com'));
    expect(uploads.get('u2', token)).toBeUndefined();
    expect(uploads.get('u1', 'guessed')).toBeUndefined();
    clock.time = 30 * 60 * 1000 - 1;
    expect(uploads.get('u1', token)).toBeDefined();
    clock.time += 1;
    expect(uploads.get('u1', token)).toBeUndefined();
  });

  it('keeps a few per user and a bounded count and size in all, letting the oldest go', () => {
    const uploads = createPendingUploads(() => 0, { maxPerUser: 2, maxCount: 3, maxBytes: 10 });
    const first = uploads.put('u1', file('a'));
    const second = uploads.put('u1', file('b'));
    const third = uploads.put('u1', file('c'));
    expect([first, second, third].map((token) => uploads.get('u1', token)?.text)).toEqual([undefined, 'b', 'c']);
    const other = uploads.put('u2', file('d'));
    const another = uploads.put('u3', file('e'));
    expect(uploads.get('u1', second)).toBeUndefined();
    expect([third, other, another].map((token, index) => uploads.get(`u${index + 1}`, token)?.text)).toEqual([
      'c',
      'd',
      'e',
    ]);
    // 'é' is two bytes in UTF-8: sizes are bytes, not characters, so these 10 leave room for no other.
    const large = uploads.put('u4', file('ééééé'));
    expect(uploads.get('u4', large)?.text).toBe('ééééé');
    expect([third, other, another].map((token, index) => uploads.get(`u${index + 1}`, token))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    uploads.remove(large);
    expect(uploads.get('u4', large)).toBeUndefined();
  });
});
