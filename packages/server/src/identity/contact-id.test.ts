import { describe, expect, it } from 'vitest';
import { isContactId, newContactId } from './contact-id.js';

describe('contact ids', () => {
  it('are ct_, 11 hex digits of the time, then 13 random ones, and never repeat', () => {
    const at = Date.parse('2026-03-01T12:00:00.000Z');
    const ids = Array.from({ length: 10_000 }, () => newContactId(at));
    for (const id of ids.slice(0, 20)) {
      expect(id).toMatch(/^ct_[0-9a-f]{24}$/);
      expect(id.slice(3, 14)).toBe(at.toString(16).padStart(11, '0'));
      expect(isContactId(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by the time they were made, so new ones go to the end of their index', () => {
    expect(newContactId(1_000) < newContactId(2_000)).toBe(true);
    expect(newContactId(Date.parse('2100-01-01')) > newContactId(Date.parse('2026-01-01'))).toBe(true);
  });

  it.each([
    'ct_',
    'ct_0123',
    'CT_0123456789abcdef01234567',
    'ct_0123456789ABCDEF01234567',
    'ct_0123456789abcdef012345678',
    '42',
  ])('does not take %j for one', (text) => {
    expect(isContactId(text)).toBe(false);
  });
});
