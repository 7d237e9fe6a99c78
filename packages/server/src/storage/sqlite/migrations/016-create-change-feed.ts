import type { Migration } from './types.js';

export const createChangeFeed: Migration = {
  version: 16,
  name: 'create change feed',
  up(db) {
    db.exec(`
      -- Every change to a contact or company, and every event stored, written in the transaction that
      -- made it (changes/change.ts). seq orders the feed; AUTOINCREMENT, so that a seq is never given
      -- twice, not even once every row before it was pruned.
      CREATE TABLE changes (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        type       TEXT    NOT NULL,
        -- The profile a change concerns, so that erasure can remove its changes; NULL for a company's.
        profile_id INTEGER,
        contact_id TEXT,
        at         INTEGER NOT NULL,
        data       TEXT    NOT NULL
      );
      CREATE INDEX changes_profile ON changes (profile_id) WHERE profile_id IS NOT NULL;
      -- Contact and company changes alone, in feed order: a reader of those types (a CRM sync) skips
      -- the event.stored rows, most of the table; and event rows cost nothing more to write.
      CREATE INDEX changes_contact_types ON changes (seq) WHERE type != 'event.stored';

      -- What pruning has removed: a cursor from before it may have missed changes (410 cursor_expired).
      -- name: 'events' (event.stored) or 'contacts' (every other type); value: the highest seq pruned.
      CREATE TABLE change_horizons (
        name  TEXT    PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO change_horizons (name, value) VALUES ('events', 0), ('contacts', 0);

      -- Consumers that pruning waits for (webhook endpoints), up to a maximum age.
      CREATE TABLE change_consumers (
        name       TEXT    PRIMARY KEY,
        position   INTEGER NOT NULL,
        is_enabled INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
