import type { Database } from 'better-sqlite3';

/** One schema step. `version` is what `PRAGMA user_version` holds once it has run. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
  /**
   * Rewrite the whole file (VACUUM) once this migration has committed: VACUUM cannot run inside
   * the migration's transaction. Used once, to clear bytes freed before secure_delete was on.
   */
  readonly vacuumAfter?: boolean;
}
