// A PostgreSQL database for tests: a schema of its own per test, migrated, dropped on close. Not
// part of the build. The server is WEFT_TEST_POSTGRES_URL, or the one scripts/ensure-postgres.sh
// starts; without one the tests fail and say how to get one (like the Chromium tests).
import { randomBytes } from 'node:crypto';
import { migratePostgres } from './migrate.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';
import { postgresSchemaUrl, redactPostgresUrl } from './postgres-url.js';

export const testPostgresUrl = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgres://weft:weft@127.0.0.1:5432/weft_test';

export interface TestSchema {
  readonly pool: PostgresPool;
  readonly schema: string;
  /** A WEFT_DB URL whose connections use this schema, as an operator's search_path would. */
  readonly url: string;
  /** Rows of a statement written as both engines run it: `?` stands for each parameter. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A new, empty schema (migrated unless `isMigrated` is false) and a pool whose connections use it. */
export async function openTestSchema(options: { readonly isMigrated?: boolean } = {}): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPostgresPool(testPostgresUrl, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `PostgreSQL is not reachable at ${redactPostgresUrl(testPostgresUrl)} (${(error as Error).message}). ` +
        'Start one with `sudo scripts/ensure-postgres.sh`, or set WEFT_TEST_POSTGRES_URL.',
    );
  }
  const pool = createPostgresPool(testPostgresUrl, { schema, max: 4 });
  if (options.isMigrated ?? true) await migratePostgres(pool);
  return {
    pool,
    schema,
    url: postgresSchemaUrl(testPostgresUrl, schema),
    async query<T>(sql: string, params: readonly unknown[] = []) {
      let n = 0;
      return (
        await pool.query(
          sql.replace(/\?/g, () => `$${++n}`),
          [...params],
        )
      ).rows as T[];
    },
    async close() {
      // The store may have ended it (EventStore.close).
      if (!pool.ended) await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
