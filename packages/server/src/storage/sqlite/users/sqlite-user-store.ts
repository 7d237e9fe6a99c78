import { hashSecret } from '../../../auth/secrets.js';
import { type AccountChange, lastAdminProblem } from '../../../users/last-admin.js';
import type {
  AuditEntry,
  AuditLog,
  SavedView,
  SavedViews,
  UserAccounts,
  UserSessions,
} from '../../../users/user-store.js';
import {
  newSessionRow,
  newUserRow,
  resumeOf,
  type SessionRow,
  type SessionWithUserRow,
  sessionWithUserColumns,
  toSession,
  toUser,
  type UserRow,
} from '../../user-rows.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';

export function createSqliteUserAccounts(db: SqliteDatabase, now: () => number): Synchronous<UserAccounts> {
  const insert = db.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at)
     VALUES (@id, @email, @name, @role, @password_hash, @created_at) ON CONFLICT DO NOTHING`,
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY email');
  const updateRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
  const updateHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const updateDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?');
  const revokeAll = db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');
  const admins = db
    .prepare<[], number>("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
    .pluck();
  const found = (id: string) => {
    const row = byId.get(id);
    return row && toUser(row);
  };
  // Immediate: the admin count and the change in one write transaction, even against the CLI's process.
  const change = db.transaction((id: string, wanted: AccountChange) => {
    const row = byId.get(id);
    if (!row) return undefined;
    if (lastAdminProblem(toUser(row), wanted, admins.get() ?? 0)) return 'last_admin' as const;
    const at = now();
    if (wanted.role !== undefined) updateRole.run(wanted.role, id);
    if (wanted.isDisabled !== undefined) {
      updateDisabled.run(wanted.isDisabled ? at : null, id);
      if (wanted.isDisabled) revokeAll.run(at, id);
    }
    return found(id);
  });
  return {
    create(user) {
      const row = newUserRow(user, now());
      return insert.run(row).changes === 1 ? toUser(row) : undefined;
    },
    list: () => all.all().map(toUser),
    byId: found,
    byEmail(email) {
      const row = byEmail.get(email.trim());
      return row && { ...toUser(row), passwordHash: row.password_hash };
    },
    setRole: (id, role) => change.immediate(id, { role }),
    setPasswordHash: (id, passwordHash) => updateHash.run(passwordHash, id).changes === 1,
    setDisabled: (id, isDisabled) => change.immediate(id, { isDisabled }),
    countAdmins: () => admins.get() ?? 0,
  };
}

export function createSqliteUserSessions(db: SqliteDatabase, now: () => number): Synchronous<UserSessions> {
  const insert = db.prepare(
    `INSERT INTO user_sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string], SessionWithUserRow>(
    `SELECT ${sessionWithUserColumns} FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
  );
  const touch = db.prepare('UPDATE user_sessions SET last_seen_at = ? WHERE id = ?');
  const ofUser = db.prepare<[string], SessionRow>(
    'SELECT * FROM user_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 100',
  );
  const revokeOne = db.prepare(
    'UPDATE user_sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
  );
  const revokeAll = db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');
  return {
    open(userId, userAgent) {
      const { row, secret } = newSessionRow(userId, userAgent, now());
      insert.run(row.id, hashSecret(secret), userId, row.csrf_token, row.created_at, row.last_seen_at, row.user_agent);
      return { session: toSession(row), secret };
    },
    resume(secret, timing, options = {}) {
      const at = now();
      const resumed = resumeOf(byHash.get(hashSecret(secret)), timing, at, options.isUse ?? true);
      if (resumed?.isTouched) touch.run(at, resumed.session.id);
      return resumed && { session: resumed.session, user: resumed.user };
    },
    listOf: (userId) => ofUser.all(userId).map(toSession),
    revoke: (userId, sessionId) => revokeOne.run(now(), sessionId, userId).changes === 1,
    revokeAllOf: (userId) => revokeAll.run(now(), userId).changes,
  };
}

export function createSqliteAuditLog(db: SqliteDatabase, now: () => number): Synchronous<AuditLog> {
  const insert = db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  const page = db.prepare<
    [number, number],
    { id: number; at: number; actor: string; action: string; target: string | null; detail: string | null }
  >('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
  return {
    record(entry) {
      insert.run(now(), entry.actor, entry.action, entry.target, entry.detail ? JSON.stringify(entry.detail) : null);
    },
    list({ limit, before }) {
      return page.all(before ?? Number.MAX_SAFE_INTEGER, limit).map(
        (row): AuditEntry => ({
          ...row,
          detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
        }),
      );
    },
  };
}

export function createSqliteSavedViews(db: SqliteDatabase): Synchronous<SavedViews> {
  const insert = db.prepare<[string, string, string], SavedView>(
    'INSERT INTO saved_views (user_id, name, query) VALUES (?, ?, ?) RETURNING id, name, query',
  );
  const ofUser = db.prepare<[string], SavedView>(
    'SELECT id, name, query FROM saved_views WHERE user_id = ? ORDER BY name',
  );
  const remove = db.prepare('DELETE FROM saved_views WHERE id = ? AND user_id = ?');
  return {
    save(userId, name, query) {
      const view = insert.get(userId, name, query);
      if (!view) throw new Error('INSERT … RETURNING answered no row');
      return view;
    },
    listOf: (userId) => ofUser.all(userId),
    remove: (userId, id) => remove.run(id, userId).changes === 1,
  };
}
