import { createHmac } from 'node:crypto';

export interface IdentityTokenOptions {
  /** The signed-in user the page speaks for: the userId its events carry. */
  userId: string;
  /** The server's `WEFT_IDENTITY_SECRET`, kept on your backend only. */
  secret: string;
  /** Seconds until the token expires. Default 3,600; the server refuses more than 86,400. */
  expiresIn?: number;
  /** Epoch ms; for tests. */
  now?: () => number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs an identity token for `GET /v1/personalize`: proof that the page asking speaks for
 * `userId`. Your backend makes it for the signed-in user and hands it to the page; without one,
 * Weft answers a page for an anonymous visitor only. A JSON Web Token (HS256, `sub`, `exp`), so
 * any JWT library can make the same (docs/personalization.md).
 */
export function signIdentityToken(options: IdentityTokenOptions): string {
  const { userId, secret, expiresIn = 3_600, now = Date.now } = options;
  if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError('userId must be a non-empty string');
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new TypeError('secret must be the server’s WEFT_IDENTITY_SECRET (at least 32 characters)');
  }
  if (!Number.isFinite(expiresIn) || expiresIn <= 0 || expiresIn > 86_400) {
    throw new RangeError(`expiresIn must be between 1 and 86,400 seconds, got ${expiresIn}`);
  }
  const claims = { sub: userId, exp: Math.floor(now() / 1000) + Math.floor(expiresIn) };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}
