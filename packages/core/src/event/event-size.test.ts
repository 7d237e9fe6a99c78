import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../wire/wire-rules.js';
import { serialiseEvent, utf8ByteLength } from './event-size.js';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['日本', 6],
    ['🎉', 4],
    ['a🎉b', 6],
    ['👩‍👩‍👧', 18],
    ['\ud800', 3],
    ['\udc00x', 4],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });

  it('agrees with TextEncoder on mixed text', () => {
    const encoder = new TextEncoder();
    const samples = ['Grüße aus Köln', 'Ελληνικά', '中文字符测试', '🚀🌍✨ emoji', 'mixed 日本 🎉 é \u0000'];
    for (const sample of samples) expect(utf8ByteLength(sample)).toBe(encoder.encode(sample).length);
  });
});

describe('serialiseEvent', () => {
  it('returns the JSON and its byte length', () => {
    const result = serialiseEvent({ name: '日本' });
    expect(result).toEqual({ json: '{"name":"日本"}', bytes: 17 });
  });

  it('refuses an event whose multi-byte text passes 32 KB, though its length in characters does not', () => {
    const event = { text: '🎉'.repeat(9_000) };
    expect(JSON.stringify(event).length).toBeLessThan(MAX_EVENT_BYTES);
    const result = serialiseEvent(event);
    expect('code' in result && result.code).toBe('too_large');
  });
});
