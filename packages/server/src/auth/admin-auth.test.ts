import { describe, expect, it } from 'vitest';
import { bearerToken } from './admin-auth.js';

describe('bearerToken', () => {
  it.each([
    ['Bearer adm_abc', 'adm_abc'],
    ['bearer   adm_abc ', 'adm_abc'],
    [undefined, undefined],
    ['', undefined],
    ['Bearer', undefined],
    ['Basic d2tfYWJjOg==', undefined],
    ['adm_abc', undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
