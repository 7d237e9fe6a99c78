import type { PostgresMigration } from './types.js';

/**
 * The rate limit's counters, one row per write key and window, shared by every server
 * (postgres-rate-limiter.ts). UNLOGGED: a counter need not survive a crash, and its writes then
 * cost no WAL; after a crash or a failover the current window starts again from zero.
 */
export const createRateWindows: PostgresMigration = {
  version: 3,
  name: 'create rate windows',
  async up(client) {
    await client.query(`
      CREATE UNLOGGED TABLE rate_windows (
        key          TEXT    NOT NULL,
        window_start BIGINT  NOT NULL,
        count        INTEGER NOT NULL,
        PRIMARY KEY (key, window_start)
      );
    `);
  },
};
