import { randomBytes } from 'node:crypto';
import type { PostgresMigration } from './types.js';

/** Keys a web page may show (personalize/), and the key that signs stream tickets (SQLite's migration 025). */
export const createPublishableKeys: PostgresMigration = {
  version: 7,
  name: 'create publishable keys',
  async up(client) {
    await client.query(`
      CREATE TABLE publishable_keys (
        id         TEXT   PRIMARY KEY,
        key        TEXT   NOT NULL UNIQUE,
        name       TEXT   NOT NULL,
        policy     TEXT   NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
    `);
    await client.query("INSERT INTO server_secrets (name, value) VALUES ('stream_ticket_key', $1)", [randomBytes(32)]);
  },
};
