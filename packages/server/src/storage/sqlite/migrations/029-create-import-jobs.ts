import type { Migration } from './types.js';

export const createImportJobs: Migration = {
  version: 29,
  name: 'create import jobs',
  up(db) {
    db.exec(`
      -- CSV imports (imports/import-jobs.ts), written through by the server running each, so that
      -- every server answers for it: job is its progress as JSON, problems its refused rows (JSON),
      -- heartbeat_at when its server last wrote it (a stale running job was cut off).
      CREATE TABLE import_jobs (
        id           TEXT    PRIMARY KEY,
        started_at   INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        job          TEXT    NOT NULL,
        problems     TEXT    NOT NULL
      );
      CREATE INDEX import_jobs_started ON import_jobs (started_at);
    `);
  },
};
