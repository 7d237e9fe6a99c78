import { describe, expect, it } from 'vitest';
import { migratePostgres } from './migrate.js';
import { postgresMigrations } from './migrations/index.js';
import { createPostgresPool } from './postgres-pool.js';
import { openTestSchema, testPostgresUrl } from './postgres-test-kit.js';

describe('PostgreSQL migrations', () => {
  it('run once when several servers start at once, each waiting its turn on the advisory lock', async () => {
    const database = await openTestSchema({ isMigrated: false });
    const servers = Array.from({ length: 4 }, () =>
      createPostgresPool(testPostgresUrl, { schema: database.schema, max: 1 }),
    );
    try {
      const applied = await Promise.all(servers.map((pool) => migratePostgres(pool)));
      const versions = postgresMigrations.map((migration) => migration.version);
      // One server applied every migration; the others found them done.
      expect(applied.filter((list) => list.length > 0)).toEqual([versions]);
      const { rows } = await database.pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => row.version)).toEqual(versions);
      expect(await migratePostgres(database.pool)).toEqual([]);
    } finally {
      await Promise.all(servers.map((pool) => pool.end()));
      await database.close();
    }
  });
});
