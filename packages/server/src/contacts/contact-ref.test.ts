import { describe, expect, it } from 'vitest';
import { parseContactRef } from './contact-ref.js';

describe('parseContactRef', () => {
  it.each([
    ['ct_0123456789abcdef01234567', { kind: 'id', id: 'ct_0123456789abcdef01234567' }],
    ['42', { kind: 'retired_id' }],
    ['0', { kind: 'retired_id' }],
    ['user_id:42', { kind: 'identifier', type: 'user_id', value: '42' }],
    ['userId:42', { kind: 'identifier', type: 'user_id', value: '42' }],
    ['anonymous_id:a:b:c', { kind: 'identifier', type: 'anonymous_id', value: 'a:b:c' }],
    ['email: Ada@Example.COM ', { kind: 'identifier', type: 'email', value: 'ada@example.com' }],
    ['crmId:CRM-7', { kind: 'identifier', type: 'crm_id', value: 'CRM-7' }],
  ])('reads %j', (ref, expected) => {
    expect(parseContactRef(ref)).toEqual(expected);
  });

  it.each([
    'ada',
    ':42',
    'user_id:',
    'email:   ',
    'ct_0123',
    'ct_0123456789ABCDEF01234567',
    'ct_0123456789abcdef012345678',
  ])('refuses %j', (ref) => {
    expect(parseContactRef(ref)).toBeUndefined();
  });
});
