import type { PostgresMigration } from './types.js';

/**
 * What SQLite's migrations 002 (credentials, with 013's write-key kind) and 026 (users, sessions,
 * saved views, audit log) keep, on PostgreSQL: the same rows, so the same contract suites pass.
 */
export const createAccounts: PostgresMigration = {
  version: 1,
  name: 'create credentials, users, sessions, saved views and the audit log',
  async up(client) {
    await client.query(`
      CREATE TABLE credentials (
        id             TEXT   PRIMARY KEY,
        kind           TEXT   NOT NULL CHECK (kind IN ('write_key', 'admin_token')),
        source         TEXT,
        write_key_kind TEXT   CHECK (write_key_kind IN ('client', 'server')),
        secret_hash    TEXT   NOT NULL UNIQUE,
        hint           TEXT   NOT NULL,
        created_at     BIGINT NOT NULL,
        revoked_at     BIGINT
      );
      CREATE TABLE users (
        id            TEXT   PRIMARY KEY,
        email         TEXT   NOT NULL,
        name          TEXT,
        role          TEXT   NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        password_hash TEXT   NOT NULL,
        created_at    BIGINT NOT NULL,
        disabled_at   BIGINT
      );
      -- One user per email, ASCII case ignored, as SQLite's COLLATE NOCASE.
      CREATE UNIQUE INDEX users_by_email ON users (lower(email));
      CREATE TABLE user_sessions (
        id           TEXT   PRIMARY KEY,
        token_hash   TEXT   NOT NULL UNIQUE,
        user_id      TEXT   NOT NULL REFERENCES users (id),
        csrf_token   TEXT   NOT NULL,
        created_at   BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        user_agent   TEXT,
        revoked_at   BIGINT
      );
      CREATE INDEX user_sessions_by_user ON user_sessions (user_id, created_at);
      CREATE TABLE saved_views (
        id      BIGSERIAL PRIMARY KEY,
        user_id TEXT      NOT NULL REFERENCES users (id),
        name    TEXT      NOT NULL,
        query   TEXT      NOT NULL
      );
      CREATE INDEX saved_views_by_user ON saved_views (user_id);
      CREATE TABLE audit_log (
        id     BIGSERIAL PRIMARY KEY,
        at     BIGINT    NOT NULL,
        actor  TEXT      NOT NULL,
        action TEXT      NOT NULL,
        target TEXT,
        detail JSONB
      );
    `);
  },
};
