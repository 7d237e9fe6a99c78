import { describe, expect, it } from 'vitest';
import { testCredentialStoreContract } from '../../auth/credential-store.contract.js';
import { testLeaseStoreContract } from '../../leases/lease-store.contract.js';
import { testPublishableKeysContract } from '../../personalize/personalize-store.contract.js';
import { testUserStoreContract } from '../../users/user-store.contract.js';
import { contractStart } from '../store-harness.contract.js';
import { migratePostgres } from './migrate.js';
import { postgresMigrations } from './migrations/index.js';
import { createPostgresCredentialStore } from './postgres-credential-store.js';
import { createPostgresLeaseStore } from './postgres-lease-store.js';
import { createPostgresPool } from './postgres-pool.js';
import { createPostgresPublishableKeys } from './postgres-publishable-keys.js';
import { openTestSchema, testPostgresUrl } from './postgres-test-kit.js';
import { createPostgresUserStore } from './users/postgres-user-store.js';

/** The parts of the store PostgreSQL has so far (issue #21), each on a schema of its own per test. */
async function openPostgresParts() {
  const database = await openTestSchema();
  const clock = { time: contractStart };
  const now = () => clock.time;
  return {
    store: {
      credentials: createPostgresCredentialStore(database.pool, now),
      users: createPostgresUserStore(database.pool, now),
      leases: createPostgresLeaseStore(database.pool, now),
      personalize: { keys: createPostgresPublishableKeys(database.pool, now) },
    },
    clock,
    close: database.close,
  };
}

testCredentialStoreContract(openPostgresParts);
testUserStoreContract(openPostgresParts);
testLeaseStoreContract(openPostgresParts);
testPublishableKeysContract(openPostgresParts);

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
