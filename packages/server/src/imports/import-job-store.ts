import type { ImportJob } from './import-jobs.js';

/** An import as the store keeps it, with when its server last worked on it. */
export interface StoredImportJob {
  readonly job: ImportJob;
  readonly heartbeatAt: number;
}

/**
 * Imports as every server sees them (storage/sqlite/sqlite-import-job-store.ts,
 * storage/postgres/postgres-import-job-store.ts): the server running one writes it through after
 * each slice, so that any server behind a load balancer answers for it.
 */
export interface ImportJobStore {
  /**
   * Saves the job as it stands; its problems too when `withProblems` (at its start and end: a
   * running import's refusals are shown by its own server). A new job's save keeps the newest
   * `keep` jobs and drops the older.
   */
  save(
    job: ImportJob,
    options: { readonly heartbeatAt: number; readonly withProblems: boolean; readonly keep: number },
  ): Promise<void>;
  get(id: string): Promise<StoredImportJob | undefined>;
  /** The newest `limit`, newest first. */
  list(limit: number): Promise<StoredImportJob[]>;
}
