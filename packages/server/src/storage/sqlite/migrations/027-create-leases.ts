import type { Migration } from './types.js';

export const createLeases: Migration = {
  version: 27,
  name: 'create leases',
  up(db) {
    db.exec(`
      -- Who holds each named piece of background work, and until when (leases/lease-store.ts).
      CREATE TABLE leases (
        name       TEXT    PRIMARY KEY,
        holder     TEXT    NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
  },
};
