import type { Migration } from './types.js';

export const createManualEdits: Migration = {
  version: 7,
  name: 'create manual edits',
  up(db) {
    db.exec(`
      -- One row per edit a person makes to a contact (PATCH or POST /v1/contacts): who was changed,
      -- when and what. The id numbers the messageId ('manual:<id>') that stamps the traits it set,
      -- so manual edits take part in identity's newest-wins rule like events do.
      CREATE TABLE manual_edits (
        id         INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles (id),
        edited_at  INTEGER NOT NULL,
        changes    TEXT    NOT NULL
      );
    `);
  },
};
