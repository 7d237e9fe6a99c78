import type { Migration } from './types.js';

export const createNotes: Migration = {
  version: 6,
  name: 'create notes',
  up(db) {
    db.exec(`
      -- Notes people write about a contact. profile_id is the profile the note was written on; it is
      -- never moved on merge, as the survivor's list reads its own notes and those of merged_into.
      CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles (id),
        body       TEXT    NOT NULL,
        author     TEXT,
        created_at INTEGER NOT NULL
      );
      -- Newest first per profile, keyset on (created_at, id).
      CREATE INDEX notes_profile_created ON notes (profile_id, created_at, id);
    `);
  },
};
