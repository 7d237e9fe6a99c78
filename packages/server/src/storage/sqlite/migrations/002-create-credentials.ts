import type { Migration } from './types.js';

export const createCredentials: Migration = {
  version: 2,
  name: 'create credentials',
  up(db) {
    // Only the SHA-256 of a secret is kept: the secrets are long and random, so a slow hash buys nothing.
    db.exec(`
      CREATE TABLE credentials (
        id          TEXT    PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('write_key', 'admin_token')),
        source      TEXT,
        secret_hash TEXT    NOT NULL UNIQUE,
        hint        TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
    `);
  },
};
