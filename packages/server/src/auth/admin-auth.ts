import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/api-error.js';
import type { AppEnv } from '../http/app-env.js';
import type { CredentialStore } from './credential-store.js';

const challenge = { 'WWW-Authenticate': 'Bearer realm="weft-admin"' };

/** The admin token from `Authorization: Bearer …`; undefined for any other scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.trim().split(/\s+/, 2);
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/**
 * Lets through only requests carrying a live admin token. Write keys ship inside customers' web
 * pages, so one must never read data back: the lookup is by kind, and a write key matches none.
 */
export function requireAdminToken(credentials: CredentialStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      throw new ApiError(
        401,
        'missing_admin_token',
        'send the admin token as "Authorization: Bearer <token>"',
        challenge,
      );
    }
    if (!(await credentials.verifyAdminToken(token))) {
      throw new ApiError(401, 'invalid_admin_token', 'the admin token is unknown or has been revoked', challenge);
    }
    await next();
  };
}
