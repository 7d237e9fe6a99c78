import type { PostgresMigration } from './types.js';

/** Who holds each named piece of background work, and until when (SQLite's migration 027). */
export const createLeases: PostgresMigration = {
  version: 4,
  name: 'create leases',
  async up(client) {
    await client.query(`
      CREATE TABLE leases (
        name       TEXT   PRIMARY KEY,
        holder     TEXT   NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `);
  },
};
