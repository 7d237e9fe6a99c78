import type { MiddlewareHandler } from 'hono';
import { isSameOrigin } from './same-origin.js';
import { UiError } from './ui-error.js';

/** Refuses any UI request that changes something unless it comes from a page of this server. */
export function requireSameOrigin(publicUrl: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const allowed = isSameOrigin({
        origin: c.req.header('Origin'),
        secFetchSite: c.req.header('Sec-Fetch-Site'),
        requestUrl: c.req.url,
        publicUrl,
      });
      if (!allowed) throw new UiError(403, 'This request did not come from a page of this server (Origin check).');
    }
    await next();
  };
}
