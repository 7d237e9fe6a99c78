import type { PostgresMigration } from './types.js';

/**
 * The change feed (SQLite's migration 016). `seq` is taken under the feed's advisory lock, held
 * from the insert to the commit (postgres-change-feed.ts), so seq order is commit order: a reader
 * that has read up to a seq never finds a smaller one committed later.
 */
export const createChangeFeed: PostgresMigration = {
  version: 2,
  name: 'create the change feed',
  async up(client) {
    await client.query(`
      CREATE TABLE changes (
        seq        BIGSERIAL PRIMARY KEY,
        type       TEXT      NOT NULL,
        profile_id BIGINT,
        contact_id TEXT,
        at         BIGINT    NOT NULL,
        data       TEXT      NOT NULL
      );
      -- Reads by type skip the event rows, most of the table.
      CREATE INDEX changes_contact_types ON changes (seq) WHERE type <> 'event.stored';
    `);
  },
};
