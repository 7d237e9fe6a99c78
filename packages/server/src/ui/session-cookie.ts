import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { UiSettings } from './ui-settings.js';

/** The session cookie: `__Host-` (Secure, Path=/, no Domain) over https, a plain name on http. */
export function sessionCookieName(settings: UiSettings): string {
  return settings.isSecureCookie ? '__Host-weft_session' : 'weft_session';
}

export function readSessionCookie(c: Context, settings: UiSettings): string | undefined {
  return getCookie(c, sessionCookieName(settings));
}

export function writeSessionCookie(c: Context, settings: UiSettings, secret: string): void {
  setCookie(c, sessionCookieName(settings), secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: settings.isSecureCookie,
    // Ends with the browser; the server's idle and age limits end it sooner.
  });
}

export function clearSessionCookie(c: Context, settings: UiSettings): void {
  deleteCookie(c, sessionCookieName(settings), { path: '/', secure: settings.isSecureCookie });
}
