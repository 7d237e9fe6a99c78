import type { Lease, LeaseStore } from '../../leases/lease-store.js';
import type { PostgresPool } from './postgres-pool.js';

/**
 * Leases on PostgreSQL: one INSERT … ON CONFLICT DO UPDATE … WHERE takes a free, expired or own
 * lease; the row lock it takes makes two servers asking at once queue, and the second then finds
 * the first's unexpired lease and gets nothing.
 */
export function createPostgresLeaseStore(pool: PostgresPool, now: () => number): LeaseStore {
  return {
    async acquire(name, holder, ttlMs) {
      const at = now();
      const { rows } = await pool.query<Lease>(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= $4
         RETURNING name, holder, expires_at AS "expiresAt"`,
        [name, holder, at + ttlMs, at],
      );
      return rows[0];
    },
    async release(name, holder) {
      return (await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder])).rowCount === 1;
    },
  };
}
