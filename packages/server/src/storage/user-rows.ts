import { randomBytes } from 'node:crypto';
import type { Role } from '../users/roles.js';
import type { NewUser, Session, SessionTiming, User } from '../users/user-store.js';

/** Users and sessions as both engines keep them, and the rules both apply to them. */

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled_at: number | null;
}

export interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  user_agent: string | null;
  revoked_at: number | null;
}

/** A session with its user's columns, as a resume reads them in one query. */
export interface SessionWithUserRow extends SessionRow {
  u_email: string;
  u_name: string | null;
  u_role: Role;
  u_created_at: number;
  u_disabled_at: number | null;
}

// A session's use is written at most this often: a page load is then a read, not a write.
const touchEveryMs = 60_000;
const maxUserAgentLength = 300;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

export const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  csrfToken: row.csrf_token,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  userAgent: row.user_agent,
  revokedAt: row.revoked_at,
});

export function newUserRow(user: NewUser, at: number): UserRow {
  return {
    id: `us_${randomBytes(12).toString('base64url')}`,
    email: user.email.trim(),
    name: user.name?.trim() || null,
    role: user.role,
    password_hash: user.passwordHash,
    created_at: at,
    disabled_at: null,
  };
}

/** A new session's row, and the secret its cookie holds (only the secret's hash is kept). */
export function newSessionRow(userId: string, userAgent: string | undefined, at: number) {
  const row: SessionRow = {
    id: `ss_${randomBytes(9).toString('base64url')}`,
    user_id: userId,
    csrf_token: randomBytes(24).toString('base64url'),
    created_at: at,
    last_seen_at: at,
    user_agent: userAgent?.slice(0, maxUserAgentLength) ?? null,
    revoked_at: null,
  };
  return { row, secret: randomBytes(32).toString('base64url') };
}

/**
 * Whether a session read by its secret may be resumed at `at`, and whether this use is to be
 * written: refused when revoked, its user disabled, idle past `idleMs` or older than `maxAgeMs`.
 */
export function resumeOf(
  row: SessionWithUserRow | undefined,
  timing: SessionTiming,
  at: number,
  isUse: boolean,
): { session: Session; user: User; isTouched: boolean } | undefined {
  if (!row || row.revoked_at !== null || row.u_disabled_at !== null) return undefined;
  if (at - row.last_seen_at > timing.idleMs || at - row.created_at > timing.maxAgeMs) return undefined;
  const isTouched = isUse && at - row.last_seen_at >= touchEveryMs;
  const user = toUser({
    id: row.user_id,
    email: row.u_email,
    name: row.u_name,
    role: row.u_role,
    password_hash: '',
    created_at: row.u_created_at,
    disabled_at: row.u_disabled_at,
  });
  return { session: toSession(isTouched ? { ...row, last_seen_at: at } : row), user, isTouched };
}

export const sessionWithUserColumns = `s.*, u.email AS u_email, u.name AS u_name, u.role AS u_role,
  u.created_at AS u_created_at, u.disabled_at AS u_disabled_at`;
