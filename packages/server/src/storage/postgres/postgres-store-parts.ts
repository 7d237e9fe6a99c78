// The PostgreSQL store on a test schema of its own, with a clock the test moves: what the contract
// suites and the differential tests run against. Not part of the build.
import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import { migrate } from '../sqlite/migrate.js';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database.js';
import { createSqliteStore } from '../sqlite/sqlite-store.js';
import type { Store } from '../store.js';
import { contractStart } from '../store-harness.contract.js';
import type { PostgresPool } from './postgres-pool.js';
import { postgresStoreOn } from './postgres-store.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';

export const testRules = DEFAULT_IDENTITY_RULES;
export const testPipeline = () =>
  createServerPipeline({
    rules: testRules,
    counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
  });

/** A server's store on `pool` (whose connections use `schema`), with `now` as its clock. */
export function postgresParts(pool: PostgresPool, schema: string, now: () => number): Promise<Store> {
  return postgresStoreOn(pool, { pipeline: testPipeline(), rules: testRules, now, url: testPostgresUrl, schema });
}

/** The ported parts on a new schema, with a clock starting at the contracts' start. */
export async function openPostgresParts(): Promise<{
  store: Store;
  clock: { time: number };
  schema: TestSchema;
  close(): Promise<void>;
}> {
  const schema = await openTestSchema();
  const clock = { time: contractStart };
  const store = await postgresParts(schema.pool, schema.schema, () => clock.time);
  return {
    store,
    clock,
    schema,
    async close() {
      await store.events.close();
      await schema.close();
    },
  };
}

/**
 * The ported parts beside a SQLite store on an in-memory file, both on one clock: what the
 * differential tests feed the same writes and compare. `close` closes both.
 */
export async function openPostgresBesideSqlite(): Promise<
  Awaited<ReturnType<typeof openPostgresParts>> & { readonly sqlite: Store; readonly db: SqliteDatabase }
> {
  const postgres = await openPostgresParts();
  const db = openDatabase(':memory:');
  migrate(db);
  const sqlite = createSqliteStore(db, { pipeline: testPipeline(), rules: testRules, now: () => postgres.clock.time });
  return {
    ...postgres,
    sqlite,
    db,
    async close() {
      db.close();
      await postgres.close();
    },
  };
}
