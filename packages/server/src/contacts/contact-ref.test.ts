import { describe, expect, it } from 'vitest';
import { parseContactRef } from './contact-ref.js';

describe('parseContactRef', () => {
  it.each([
    ['42', { kind: 'id', id: 42 }],
    ['user_id:42', { kind: 'identifier', type: 'user_id', value: '42' }],
    ['userId:42', { kind: 'identifier', type: 'user_id', value: '42' }],
    ['anonymous_id:a:b:c', { kind: 'identifier', type: 'anonymous_id', value: 'a:b:c' }],
    ['email: Ada@Example.COM ', { kind: 'identifier', type: 'email', value: 'ada@example.com' }],
    ['crmId:CRM-7', { kind: 'identifier', type: 'crm_id', value: 'CRM-7' }],
  ])('reads %j', (ref, expected) => {
    expect(parseContactRef(ref)).toEqual(expected);
  });

  it.each(['0', 'ada', ':42', 'user_id:', 'email:   ', '99999999999999999999'])('refuses %j', (ref) => {
    expect(parseContactRef(ref)).toBeUndefined();
  });
});
