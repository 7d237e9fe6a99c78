import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './same-origin.js';

const base = {
  requestUrl: 'http://10.0.0.5:8787/ui/login',
  publicUrl: 'https://crm.example.com',
  secFetchSite: undefined,
};

describe('isSameOrigin', () => {
  it.each([
    ['the public URL (behind a TLS proxy)', 'https://crm.example.com', true],
    ["the request's own origin", 'http://10.0.0.5:8787', true],
    ['another site', 'https://evil.example', false],
    ['the public host over http', 'http://crm.example.com', false],
    ['a sandboxed frame or file (null)', 'null', false],
  ])('answers for an Origin of %s', (_label, origin, expected) => {
    expect(isSameOrigin({ ...base, origin })).toBe(expected);
  });

  it('falls back to Sec-Fetch-Site when there is no Origin, and refuses when neither says same-origin', () => {
    expect(isSameOrigin({ ...base, origin: undefined, secFetchSite: 'same-origin' })).toBe(true);
    expect(isSameOrigin({ ...base, origin: undefined, secFetchSite: 'cross-site' })).toBe(false);
    expect(isSameOrigin({ ...base, origin: undefined })).toBe(false);
  });
});
