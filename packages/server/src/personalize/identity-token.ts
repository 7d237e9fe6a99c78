import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Identity tokens: proof, signed by the app's backend, that a page speaks for a userId. A JSON Web
 * Token with HMAC-SHA256 (`alg: HS256`), the userId in `sub` and an expiry in `exp` (seconds since
 * the epoch), so any JWT library can make one; `@weft/node` has `signIdentityToken`. Only HS256 is
 * accepted: a token naming another algorithm (`none` above all) is refused, whatever it says.
 */

export type TokenCheck =
  | { readonly ok: true; readonly userId: string; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: string };

/** Longest a token may be valid for: one signed for a year is a password, not a proof. */
export const MAX_TOKEN_LIFETIME_MS = 24 * 3_600_000;

/** Checks the signature with `secret`, the expiry against `nowMs`, and reads the userId. */
export function verifyIdentityToken(token: string, secret: string, nowMs: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return refused('it is not a JWT (three dot-separated parts)');
  const [header = '', payload = '', signature = ''] = parts;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refused('its signature does not match the server’s identity secret');
  }
  const head = readJson(header);
  if (head?.alg !== 'HS256') return refused('its header does not say alg HS256');
  const claims = readJson(payload);
  if (!claims) return refused('its payload is not a JSON object');
  const { sub, exp } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') return refused('it has no sub (the userId)');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return refused('it has no exp (its expiry, in seconds)');
  const expiresAt = exp * 1000;
  if (expiresAt <= nowMs) return refused('it has expired');
  if (expiresAt > nowMs + MAX_TOKEN_LIFETIME_MS) return refused('its expiry is more than 24 hours away');
  return { ok: true, userId: sub, expiresAt };
}

function refused(reason: string): TokenCheck {
  return { ok: false, reason: `the identity token was refused: ${reason}` };
}

function readJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
