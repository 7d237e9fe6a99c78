import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { UserSessions } from '../users/user-store.js';
import { readSessionCookie } from './session-cookie.js';
import type { UiEnv } from './ui-env.js';
import { UiError } from './ui-error.js';
import type { UiSettings } from './ui-settings.js';

const readMethods = new Set(['GET', 'HEAD']);

/**
 * Lets a UI request through only with a live session: a GET without one goes to the login page,
 * anything else is refused. Reads no body: requireCsrfToken, after it, does.
 */
export function requireSession(sessions: UserSessions, settings: UiSettings): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const secret = readSessionCookie(c, settings);
    // The script's own refreshes (live regions, polled progress) say so: they do not keep a session alive.
    const isUse = c.req.header('X-Weft-Background') !== '1';
    const resumed = secret === undefined ? undefined : await sessions.resume(secret, settings.sessionTiming, { isUse });
    if (!resumed) {
      if (readMethods.has(c.req.method)) {
        const next = new URL(c.req.url);
        return c.redirect(`/ui/login?next=${encodeURIComponent(next.pathname + next.search)}`, 303);
      }
      throw new UiError(401, 'Your session has ended. Log in again, then repeat what you were doing.');
    }
    c.set('user', resumed.user);
    c.set('session', resumed.session);
    await next();
  };
}

/**
 * A request that changes something must carry its session's CSRF token: the form field `_csrf` or
 * the header `X-CSRF-Token` (the Origin check, ui/csrf.ts, runs before). After requireSession, and
 * after any check that can refuse a request without reading its body.
 */
export function requireCsrfToken(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (!readMethods.has(c.req.method)) {
      const sent = c.req.header('X-CSRF-Token') ?? (await formField(c.req.raw.clone(), '_csrf'));
      if (!sent || !equalText(sent, c.get('session').csrfToken)) {
        throw new UiError(
          403,
          'This form has expired or did not come from this page (CSRF token missing or wrong). Reload the page and try again.',
        );
      }
    }
    await next();
  };
}

async function formField(request: Request, name: string): Promise<string | undefined> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return undefined;
  }
  const value = (await request.formData()).get(name);
  return typeof value === 'string' ? value : undefined;
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
