import { hashSecret } from '../../../auth/secrets.js';
import { type AccountChange, lastAdminProblem } from '../../../users/last-admin.js';
import type { AuditEntry, SavedView, UserStore } from '../../../users/user-store.js';
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
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

const userColumns = 'id, email, name, role, password_hash, created_at, disabled_at';
// "user" in ASCII: role and disabled changes take it (see changeAccount).
const accountChangeLockKey = 0x75_73_65_72;

/**
 * Users, sessions, saved views and the audit log on PostgreSQL (SQLite's:
 * storage/sqlite/users/sqlite-user-store.ts). Emails are unique ignoring case through
 * users_by_email (lower(email)), as SQLite's COLLATE NOCASE.
 */
export function createPostgresUserStore(pool: PostgresPool, now: () => number): UserStore {
  const userById = async (id: string) =>
    (await pool.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1`, [id])).rows[0];
  const found = async (id: string) => {
    const row = await userById(id);
    return row && toUser(row);
  };
  // Role and disabled changes queue on this lock: the admin count and the change in one transaction,
  // so that two admins demoting each other at once cannot leave none.
  const changeAccount = (id: string, wanted: AccountChange) =>
    inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [accountChangeLockKey]);
      const row = (await client.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1`, [id])).rows[0];
      if (!row) return undefined;
      const { rows } = await client.query<{ count: number }>(
        "SELECT count(*)::bigint AS count FROM users WHERE role = 'admin' AND disabled_at IS NULL",
      );
      if (lastAdminProblem(toUser(row), wanted, rows[0]?.count ?? 0)) return 'last_admin' as const;
      const at = now();
      const changed = await client.query<UserRow>(
        `UPDATE users SET role = coalesce($1, role),
           disabled_at = CASE WHEN $2::boolean IS NULL THEN disabled_at WHEN $2 THEN $3::bigint ELSE NULL END
         WHERE id = $4 RETURNING ${userColumns}`,
        [wanted.role ?? null, wanted.isDisabled ?? null, at, id],
      );
      if (wanted.isDisabled) {
        await client.query('UPDATE user_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [
          at,
          id,
        ]);
      }
      const updated = changed.rows[0];
      return updated && toUser(updated);
    });
  return {
    accounts: {
      async create(user) {
        const row = newUserRow(user, now());
        const { rowCount } = await pool.query(
          `INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING`,
          [row.id, row.email, row.name, row.role, row.password_hash, row.created_at],
        );
        return rowCount === 1 ? toUser(row) : undefined;
      },
      async list() {
        return (await pool.query<UserRow>(`SELECT ${userColumns} FROM users ORDER BY lower(email)`)).rows.map(toUser);
      },
      byId: found,
      async byEmail(email) {
        const { rows } = await pool.query<UserRow>(`SELECT ${userColumns} FROM users WHERE lower(email) = lower($1)`, [
          email.trim(),
        ]);
        const row = rows[0];
        return row && { ...toUser(row), passwordHash: row.password_hash };
      },
      setRole: (id, role) => changeAccount(id, { role }),
      async setPasswordHash(id, passwordHash) {
        return (
          (await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id])).rowCount === 1
        );
      },
      setDisabled: (id, isDisabled) => changeAccount(id, { isDisabled }),
      async countAdmins() {
        const { rows } = await pool.query<{ count: number }>(
          "SELECT count(*)::bigint AS count FROM users WHERE role = 'admin' AND disabled_at IS NULL",
        );
        return rows[0]?.count ?? 0;
      },
    },
    sessions: {
      async open(userId, userAgent) {
        const { row, secret } = newSessionRow(userId, userAgent, now());
        await pool.query(
          `INSERT INTO user_sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, user_agent)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [row.id, hashSecret(secret), userId, row.csrf_token, row.created_at, row.last_seen_at, row.user_agent],
        );
        return { session: toSession(row), secret };
      },
      async resume(secret, timing, options = {}) {
        const at = now();
        const { rows } = await pool.query<SessionWithUserRow>(
          `SELECT ${sessionWithUserColumns} FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
          [hashSecret(secret)],
        );
        const resumed = resumeOf(rows[0], timing, at, options.isUse ?? true);
        if (resumed?.isTouched)
          await pool.query('UPDATE user_sessions SET last_seen_at = $1 WHERE id = $2', [at, resumed.session.id]);
        return resumed && { session: resumed.session, user: resumed.user };
      },
      async listOf(userId) {
        const { rows } = await pool.query<SessionRow>(
          'SELECT * FROM user_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 100',
          [userId],
        );
        return rows.map(toSession);
      },
      async revoke(userId, sessionId) {
        const { rowCount } = await pool.query(
          'UPDATE user_sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL',
          [now(), sessionId, userId],
        );
        return rowCount === 1;
      },
      async revokeAllOf(userId) {
        const { rowCount } = await pool.query(
          'UPDATE user_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL',
          [now(), userId],
        );
        return rowCount ?? 0;
      },
    },
    audit: {
      async record(entry) {
        await pool.query('INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)', [
          now(),
          entry.actor,
          entry.action,
          entry.target,
          entry.detail === null ? null : JSON.stringify(entry.detail),
        ]);
      },
      async list({ limit, before }) {
        const { rows } = await pool.query<AuditEntry>(
          'SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2',
          [before ?? Number.MAX_SAFE_INTEGER, limit],
        );
        return rows;
      },
    },
    views: {
      async save(userId, name, query) {
        const { rows } = await pool.query<SavedView>(
          'INSERT INTO saved_views (user_id, name, query) VALUES ($1, $2, $3) RETURNING id, name, query',
          [userId, name, query],
        );
        const view = rows[0];
        if (!view) throw new Error('INSERT … RETURNING answered no row');
        return view;
      },
      async listOf(userId) {
        return (
          await pool.query<SavedView>('SELECT id, name, query FROM saved_views WHERE user_id = $1 ORDER BY name', [
            userId,
          ])
        ).rows;
      },
      async remove(userId, id) {
        return (
          (await pool.query('DELETE FROM saved_views WHERE id = $1 AND user_id = $2', [id, userId])).rowCount === 1
        );
      },
    },
  };
}
