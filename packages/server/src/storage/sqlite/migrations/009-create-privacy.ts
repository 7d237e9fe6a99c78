import type { Migration } from './types.js';

export const createPrivacy: Migration = {
  version: 9,
  name: 'create privacy',
  up(db) {
    db.exec(`
      -- Secrets the server makes for itself on first start. 'identifier_hash_key' keys the hashes
      -- below, so a stolen database file does not reveal an erased email by hashing guesses.
      CREATE TABLE server_secrets (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO server_secrets (name, value) VALUES ('identifier_hash_key', randomblob(32));

      -- What is left of an erased contact: one keyed hash per identifier it held, and when it was
      -- erased. Ingest discards an event for such an identifier that is older than the erasure.
      CREATE TABLE erasures (
        identifier_hash TEXT    PRIMARY KEY,
        erased_at       INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Identifiers whose events are acknowledged and not stored, until the suppression is lifted.
      -- Only the type is kept in clear, so the list can say what kind of identifier each row is.
      CREATE TABLE suppressions (
        id              INTEGER PRIMARY KEY,
        identifier_hash TEXT    NOT NULL UNIQUE,
        type            TEXT    NOT NULL,
        suppressed_at   INTEGER NOT NULL
      );
      -- Listing pages through them oldest first, keyset on (suppressed_at, id).
      CREATE INDEX suppressions_by_time ON suppressions (suppressed_at, id);

      -- Erasure deletes, and export reads, a contact's edit history.
      CREATE INDEX manual_edits_profile ON manual_edits (profile_id, id);
    `);
  },
};
