import { describe, expect, it } from 'vitest';
import { blockedReason, DEFAULT_IDENTITY_RULES, rankOf } from './identity-rules.js';

describe('blockedReason', () => {
  it.each([
    '',
    '   ',
    'anonymous',
    'Guest',
    'DISTINCT_ID',
    'distinctid',
    'id',
    'not_authenticated',
    'email',
    'undefined',
    'true',
    'False',
    'null',
    'None',
    'NaN',
    '[object Object]',
    '0',
    '-1',
    '000-000',
    '00000000-0000-0000-0000-000000000000',
    '"null"',
    "'undefined'",
    '"0"',
    ' "guest" ',
    'abc\u0000def',
    'x'.repeat(401),
  ])('blocks %j', (value) => {
    expect(blockedReason(value, DEFAULT_IDENTITY_RULES)).toBeDefined();
  });

  it.each(['42', 'user-1', 'ada@example.com', '0a', '-10', 'nullable', 'x'.repeat(400), '"bob"'])(
    'keeps %j',
    (value) => {
      expect(blockedReason(value, DEFAULT_IDENTITY_RULES)).toBeUndefined();
    },
  );

  it('uses the configured list', () => {
    const rules = { ...DEFAULT_IDENTITY_RULES, blockedValues: ['test-user'] };
    expect(blockedReason('Test-User', rules)).toBeDefined();
    expect(blockedReason('guest', rules)).toBeUndefined();
  });
});

describe('rankOf', () => {
  it('ranks user_id, then email, then other types, then anonymous_id', () => {
    const ranks = ['anonymous_id', 'crm_id', 'email', 'user_id'].map((type) => rankOf(DEFAULT_IDENTITY_RULES, type));
    expect(ranks[3]).toBeLessThan(ranks[2] as number);
    expect(ranks[2]).toBeLessThan(ranks[1] as number);
    expect(ranks[1]).toBeLessThan(ranks[0] as number);
  });
});
