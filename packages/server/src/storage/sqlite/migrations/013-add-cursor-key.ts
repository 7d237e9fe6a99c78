import type { Migration } from './types.js';

export const addCursorKey: Migration = {
  version: 13,
  name: 'add cursor key',
  up(db) {
    db.exec(`
      -- The key that signs the cursors of every paged list (contacts/cursor.ts): a cursor the server
      -- did not issue is refused. Cursors issued before this migration were unsigned, and are refused.
      INSERT INTO server_secrets (name, value) VALUES ('cursor_key', randomblob(32));
    `);
  },
};
