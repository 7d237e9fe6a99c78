import type { ImportJobStore } from '../../imports/import-job-store.js';
import { type ImportJobRow, importJobColumns, toStoredImportJob } from '../import-job-row.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/** Import jobs on SQLite (migration 029). */
export function createSqliteImportJobStore(db: SqliteDatabase): Synchronous<ImportJobStore> {
  const insert = db.prepare(
    `INSERT INTO import_jobs (id, started_at, heartbeat_at, job, problems)
     VALUES (@id, @startedAt, @heartbeatAt, @job, @problems)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, job = excluded.job,
       problems = CASE WHEN @withProblems THEN excluded.problems ELSE import_jobs.problems END`,
  );
  const trim = db.prepare(
    'DELETE FROM import_jobs WHERE id NOT IN (SELECT id FROM import_jobs ORDER BY started_at DESC, id DESC LIMIT ?)',
  );
  const selectOne = db.prepare<[string], ImportJobRow>('SELECT * FROM import_jobs WHERE id = ?');
  const selectNewest = db.prepare<[number], ImportJobRow>(
    'SELECT * FROM import_jobs ORDER BY started_at DESC, id DESC LIMIT ?',
  );
  const save = db.transaction((...[job, options]: Parameters<ImportJobStore['save']>) => {
    const isNew = selectOne.get(job.id) === undefined;
    insert.run({
      id: job.id,
      startedAt: job.startedAt,
      heartbeatAt: options.heartbeatAt,
      withProblems: options.withProblems ? 1 : 0,
      ...importJobColumns(job),
    });
    if (isNew) trim.run(options.keep);
  });
  return {
    save,
    get(id) {
      const row = selectOne.get(id);
      return row ? toStoredImportJob(row) : undefined;
    },
    list: (limit) => selectNewest.all(limit).map(toStoredImportJob),
  };
}
