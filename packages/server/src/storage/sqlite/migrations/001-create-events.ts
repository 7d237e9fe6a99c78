import type { Migration } from './types.js';

export const createEvents: Migration = {
  version: 1,
  name: 'create events',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id           INTEGER PRIMARY KEY,
        source       TEXT    NOT NULL,
        type         TEXT    NOT NULL,
        message_id   TEXT    NOT NULL,
        user_id      TEXT,
        anonymous_id TEXT,
        event        TEXT,
        timestamp    INTEGER NOT NULL,
        received_at  INTEGER NOT NULL,
        body         TEXT    NOT NULL
      );
      CREATE UNIQUE INDEX events_source_message_id ON events (source, message_id);
    `);
  },
};
