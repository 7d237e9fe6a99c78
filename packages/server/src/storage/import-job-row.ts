import type { StoredImportJob } from '../imports/import-job-store.js';
import type { ImportJob } from '../imports/import-jobs.js';

/** An import job's row, as both engines keep it: the job without its problems, and its problems. */
export interface ImportJobRow {
  readonly id: string;
  readonly started_at: number;
  readonly heartbeat_at: number;
  readonly job: string;
  readonly problems: string;
}

/** The job's columns: its problems apart, rewritten only when asked. */
export function importJobColumns(job: ImportJob): { readonly job: string; readonly problems: string } {
  const { problems, ...rest } = job;
  return { job: JSON.stringify(rest), problems: JSON.stringify(problems) };
}

export function toStoredImportJob(row: ImportJobRow): StoredImportJob {
  const rest = JSON.parse(row.job) as Omit<ImportJob, 'problems'>;
  return {
    job: { ...rest, problems: JSON.parse(row.problems) as ImportJob['problems'] },
    heartbeatAt: row.heartbeat_at,
  };
}
