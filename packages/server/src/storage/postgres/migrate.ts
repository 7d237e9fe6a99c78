import { postgresMigrations } from './migrations/index.js';
import type { PostgresMigration } from './migrations/types.js';
import { inTransaction, type PostgresPool } from './postgres-pool.js';

// The advisory lock every server takes to migrate: one runs them, the others wait, then find them done.
const migrationLockKey = 0x77_65_66_74; // "weft"

/**
 * Brings the database up to the newest migration, each in the same transaction as its record in
 * schema_migrations. Several servers starting at once take turns under a transaction-scoped
 * advisory lock, so each migration runs once. Answers the versions this call applied.
 */
export async function migratePostgres(
  pool: PostgresPool,
  migrations: readonly PostgresMigration[] = postgresMigrations,
): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(client);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
