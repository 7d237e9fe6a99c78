// The database an end-to-end test's server runs on: a SQLite file in the test's folder, or a
// PostgreSQL schema of its own when WEFT_TEST_STORE=postgres (the postgres project of
// vitest.config.ts). The test reads what was stored through query(), on either engine.
import { join } from 'node:path';
import { openDatabase } from '@weft/server';
import { openTestSchema } from '../../packages/server/src/storage/postgres/postgres-test-kit.js';
import { sqliteRows, type TestEngine, testEngine } from '../../packages/server/src/testing/test-app.js';

export interface TestDatabase {
  readonly engine: TestEngine;
  /** WEFT_DB for the server: the file's path, or a postgres:// URL naming the schema. */
  readonly url: string;
  /**
   * Rows of a statement both engines run alike (`?` for each parameter), read while the server
   * runs or after it stopped. PostgreSQL answers BIGINT and count(*) as text.
   */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Drops the schema (PostgreSQL), once the servers on it have stopped; a file goes with its folder. */
  close(): Promise<void>;
}

/** A database for a server of the test's: `file` in `dir` on SQLite, an empty schema on PostgreSQL. */
export async function openTestDatabase(dir: string, file = 'weft.db'): Promise<TestDatabase> {
  if (testEngine === 'sqlite') {
    const path = join(dir, file);
    return {
      engine: testEngine,
      url: path,
      async query<T>(sql: string, params: readonly unknown[] = []) {
        const db = openDatabase(path);
        try {
          return sqliteRows<T>(db, sql, params);
        } finally {
          db.close();
        }
      },
      async close() {},
    };
  }
  // Not migrated: the server migrates it on its first start, as an operator's would.
  const schema = await openTestSchema({ isMigrated: false });
  return { engine: testEngine, url: schema.url, query: schema.query, close: () => schema.close() };
}
