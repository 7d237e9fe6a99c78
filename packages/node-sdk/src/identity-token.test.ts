import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signIdentityToken } from './identity-token.js';

const secret = 'a-server-identity-secret-of-32-chars!';
const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

describe('signIdentityToken', () => {
  it('makes an HS256 JWT naming the userId, expiring after expiresIn seconds', () => {
    const token = signIdentityToken({ userId: 'user-42', secret, expiresIn: 600, now: () => 1_800_000_000_000 });
    const [header, payload, signature] = token.split('.');
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({ sub: 'user-42', exp: 1_800_000_600 });
    expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
  });

  it('defaults to an hour', () => {
    const token = signIdentityToken({ userId: 'u', secret, now: () => 0 });
    expect(decode(token.split('.')[1]).exp).toBe(3_600);
  });

  it('refuses a short secret, an empty userId and a lifetime past a day, naming each', () => {
    expect(() => signIdentityToken({ userId: 'u', secret: 'short' })).toThrow(/WEFT_IDENTITY_SECRET/);
    expect(() => signIdentityToken({ userId: ' ', secret })).toThrow(/userId/);
    expect(() => signIdentityToken({ userId: 'u', secret, expiresIn: 86_401 })).toThrow(/86,400/);
  });
});
