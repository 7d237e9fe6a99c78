// The identity token's two ends agree: what @weft/node signs, the server's check accepts, and
// refuses once altered. Each end is tested on its own beside its code; this ties them together.
import { signIdentityToken } from '@weft/node';
import { describe, expect, it } from 'vitest';
import { verifyIdentityToken } from '../packages/server/src/personalize/identity-token.js';

const secret = 'a-server-identity-secret-of-32-chars!';

describe('identity tokens between @weft/node and the server', () => {
  it('verifies a token @weft/node signed, for its userId, until it expires', () => {
    const now = 1_800_000_000_000;
    const token = signIdentityToken({ userId: 'user-42', secret, expiresIn: 600, now: () => now });
    expect(verifyIdentityToken(token, secret, now)).toEqual({ ok: true, userId: 'user-42', expiresAt: now + 600_000 });
    expect(verifyIdentityToken(token, secret, now + 600_000)).toMatchObject({ ok: false, reason: /expired/ });
    expect(verifyIdentityToken(token, `${secret}x`, now)).toMatchObject({ ok: false, reason: /signature/ });
    const [header, , signature] = token.split('.');
    const otherUser = Buffer.from(JSON.stringify({ sub: 'user-43', exp: now / 1000 + 600 })).toString('base64url');
    expect(verifyIdentityToken(`${header}.${otherUser}.${signature}`, secret, now)).toMatchObject({ ok: false });
  });
});
