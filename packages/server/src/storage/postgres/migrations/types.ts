import type pg from 'pg';

/** One schema step on PostgreSQL; versions follow their own sequence, beside SQLite's (storage/sqlite/migrations/). */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  up(client: pg.PoolClient): Promise<void>;
}
