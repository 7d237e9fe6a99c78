import type { Lease, LeaseStore } from '../../leases/lease-store.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/** Leases on SQLite (migration 027): one statement takes a free, expired or own lease. */
export function createSqliteLeaseStore(db: SqliteDatabase, now: () => number): Synchronous<LeaseStore> {
  const take = db.prepare<{ name: string; holder: string; expiresAt: number; at: number }, Lease>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @at
     RETURNING name, holder, expires_at AS expiresAt`,
  );
  const remove = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  return {
    acquire(name, holder, ttlMs) {
      const at = now();
      return take.get({ name, holder, expiresAt: at + ttlMs, at });
    },
    release: (name, holder) => remove.run(name, holder).changes === 1,
  };
}
