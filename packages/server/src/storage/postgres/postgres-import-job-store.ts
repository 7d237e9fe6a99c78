import type { ImportJobStore } from '../../imports/import-job-store.js';
import { type ImportJobRow, importJobColumns, toStoredImportJob } from '../import-job-row.js';
import type { PostgresPool } from './postgres-pool.js';

/** Import jobs on PostgreSQL (migration 012), as SQLite's (storage/sqlite/sqlite-import-job-store.ts). */
export function createPostgresImportJobStore(pool: PostgresPool): ImportJobStore {
  return {
    async save(job, options) {
      const { job: body, problems } = importJobColumns(job);
      const { rows } = await pool.query<{ is_new: boolean }>(
        `INSERT INTO import_jobs (id, started_at, heartbeat_at, job, problems) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, job = excluded.job,
           problems = CASE WHEN $6 THEN excluded.problems ELSE import_jobs.problems END
         RETURNING xmax = 0 AS is_new`,
        [job.id, job.startedAt, options.heartbeatAt, body, problems, options.withProblems],
      );
      if (!rows[0]?.is_new) return;
      await pool.query(
        `DELETE FROM import_jobs WHERE id NOT IN
           (SELECT id FROM import_jobs ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT $1)`,
        [options.keep],
      );
    },
    async get(id) {
      const { rows } = await pool.query<ImportJobRow>('SELECT * FROM import_jobs WHERE id = $1', [id]);
      return rows[0] ? toStoredImportJob(rows[0]) : undefined;
    },
    async list(limit) {
      const { rows } = await pool.query<ImportJobRow>(
        'SELECT * FROM import_jobs ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT $1',
        [limit],
      );
      return rows.map(toStoredImportJob);
    },
  };
}
