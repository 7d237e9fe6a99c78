import type { PostgresMigration } from './types.js';

/** CSV imports, written through by the server running each (SQLite's migration 029). */
export const createImportJobs: PostgresMigration = {
  version: 12,
  name: 'create import jobs',
  async up(client) {
    await client.query(`
      CREATE TABLE import_jobs (
        id           TEXT   PRIMARY KEY,
        started_at   BIGINT NOT NULL,
        heartbeat_at BIGINT NOT NULL,
        job          TEXT   NOT NULL,
        problems     TEXT   NOT NULL
      );
      CREATE INDEX import_jobs_started ON import_jobs (started_at);
    `);
  },
};
