import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/api-error.js';
import type { AppEnv } from '../http/app-env.js';
import { bearerToken } from './admin-auth.js';
import type { CredentialStore } from './credential-store.js';

const challenge = { 'WWW-Authenticate': 'Bearer realm="weft-metrics"' };

/**
 * /metrics for the metrics token (WEFT_METRICS_TOKEN, for a Prometheus scraper that should not hold
 * the admin token) or an admin token. Open, its discard counters told anyone holding the public
 * write key whether an identifier was suppressed or erased: send one event, see which counter moved.
 */
export function requireMetricsAccess(
  credentials: CredentialStore,
  metricsToken: string | undefined,
): MiddlewareHandler<AppEnv> {
  const expected = metricsToken === undefined ? undefined : digest(metricsToken);
  return async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      throw new ApiError(
        401,
        'missing_metrics_token',
        'send the metrics token (WEFT_METRICS_TOKEN) or an admin token as "Authorization: Bearer <token>"',
        challenge,
      );
    }
    // Compared as digests: equal lengths, so the comparison takes the same time whatever was sent.
    const isMetricsToken = expected !== undefined && timingSafeEqual(digest(token), expected);
    if (!isMetricsToken && !(await credentials.verifyAdminToken(token))) {
      throw new ApiError(
        401,
        'invalid_metrics_token',
        'the token is neither the metrics token nor a live admin token',
        challenge,
      );
    }
    await next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
