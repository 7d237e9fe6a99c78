import type { Migration } from './types.js';

export const createPublishableKeys: Migration = {
  version: 25,
  name: 'create publishable keys',
  up(db) {
    db.exec(`
      -- Keys a page uses to ask GET /v1/personalize about its own visitor (personalize/). Public by
      -- design, so kept as they are; each with the policy of what it may reveal and where from.
      CREATE TABLE publishable_keys (
        id         TEXT    PRIMARY KEY,
        key        TEXT    NOT NULL UNIQUE,
        name       TEXT    NOT NULL,
        policy     TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      -- The key that signs stream tickets (personalize/stream-ticket.ts).
      INSERT INTO server_secrets (name, value) VALUES ('stream_ticket_key', randomblob(32));
    `);
  },
};
