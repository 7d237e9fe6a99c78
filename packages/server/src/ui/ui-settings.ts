import type { SessionTiming } from '../users/user-store.js';

/** How the web UI keeps its logins (WEFT_SESSION_IDLE; the cookie's Secure flag from WEFT_PUBLIC_URL). */
export interface UiSettings {
  readonly sessionTiming: SessionTiming;
  /** Secure cookie (and the `__Host-` name) whenever the public URL is https: a TLS proxy in front. */
  readonly isSecureCookie: boolean;
}

export const defaultSessionTiming: SessionTiming = { idleMs: 8 * 3_600_000, maxAgeMs: 30 * 86_400_000 };

export function uiSettingsFor(publicUrl: string, sessionTiming: SessionTiming = defaultSessionTiming): UiSettings {
  return { sessionTiming, isSecureCookie: new URL(publicUrl).protocol === 'https:' };
}
