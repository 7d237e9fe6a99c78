import type { PublishableKeyStore } from '../../personalize/personalize-store.js';
import { generatePublishableKey } from '../../personalize/publishable-key.js';
import { type PublishableKeyRow, toPublishableKey } from '../publishable-key-row.js';
import type { PostgresPool } from './postgres-pool.js';

/** Publishable keys on PostgreSQL (migration 007; SQLite's: storage/sqlite/personalize/sqlite-publishable-keys.ts). */
export function createPostgresPublishableKeys(pool: PostgresPool, now: () => number): PublishableKeyStore {
  const one = async (sql: string, params: unknown[]) => {
    const row = (await pool.query<PublishableKeyRow>(sql, params)).rows[0];
    return row ? toPublishableKey(row) : undefined;
  };
  return {
    async create(name, policy) {
      const { id, key } = generatePublishableKey();
      const made = await one(
        `INSERT INTO publishable_keys (id, key, name, policy, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
         RETURNING *`,
        [id, key, name, JSON.stringify(policy), now()],
      );
      if (!made) throw new Error('a publishable key was not written');
      return made;
    },
    async list() {
      const { rows } = await pool.query<PublishableKeyRow>('SELECT * FROM publishable_keys ORDER BY created_at, id');
      return rows.map(toPublishableKey);
    },
    get: (id) => one('SELECT * FROM publishable_keys WHERE id = $1', [id]),
    // A field the change leaves out keeps its value.
    update: (id, change) =>
      one(
        `UPDATE publishable_keys SET name = coalesce($2, name), policy = coalesce($3, policy), updated_at = $4
         WHERE id = $1 RETURNING *`,
        [id, change.name ?? null, change.policy ? JSON.stringify(change.policy) : null, now()],
      ),
    async revoke(id) {
      const at = now();
      const { rowCount } = await pool.query(
        'UPDATE publishable_keys SET revoked_at = $2, updated_at = $2 WHERE id = $1 AND revoked_at IS NULL',
        [id, at],
      );
      return rowCount === 1;
    },
    findActive: (key) => one('SELECT * FROM publishable_keys WHERE key = $1 AND revoked_at IS NULL', [key]),
  };
}
