import type { Migration } from './types.js';

export const createUsers: Migration = {
  version: 26,
  name: 'create users, sessions, saved views and the audit log',
  up(db) {
    db.exec(`
      -- People who log in to the web UI (users/). Passwords as scrypt hashes only.
      CREATE TABLE users (
        id            TEXT    PRIMARY KEY,
        email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
        name          TEXT,
        role          TEXT    NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        password_hash TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        disabled_at   INTEGER
      );
      -- A login: the cookie holds a secret whose SHA-256 is token_hash.
      CREATE TABLE user_sessions (
        id           TEXT    PRIMARY KEY,
        token_hash   TEXT    NOT NULL UNIQUE,
        user_id      TEXT    NOT NULL REFERENCES users (id),
        csrf_token   TEXT    NOT NULL,
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        user_agent   TEXT,
        revoked_at   INTEGER
      );
      CREATE INDEX user_sessions_by_user ON user_sessions (user_id, created_at);
      CREATE TABLE saved_views (
        id      INTEGER PRIMARY KEY,
        user_id TEXT    NOT NULL REFERENCES users (id),
        name    TEXT    NOT NULL,
        query   TEXT    NOT NULL
      );
      CREATE INDEX saved_views_by_user ON saved_views (user_id);
      -- Who did what sensitive thing, and when (erase, export, merge, import, roles, keys).
      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT    NOT NULL,
        action TEXT    NOT NULL,
        target TEXT,
        detail TEXT
      );
    `);
  },
};
