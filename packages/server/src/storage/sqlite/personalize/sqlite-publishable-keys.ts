import type { PublishableKeyStore } from '../../../personalize/personalize-store.js';
import { generatePublishableKey } from '../../../personalize/publishable-key.js';
import { type PublishableKeyRow, toPublishableKey } from '../../publishable-key-row.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';

/** Publishable keys in `publishable_keys` (migration 025). */
export function createSqlitePublishableKeys(db: SqliteDatabase, now: () => number): Synchronous<PublishableKeyStore> {
  const insert = db.prepare(
    `INSERT INTO publishable_keys (id, key, name, policy, created_at, updated_at)
     VALUES (@id, @key, @name, @policy, @at, @at)`,
  );
  const selectAll = db.prepare<[], PublishableKeyRow>('SELECT * FROM publishable_keys ORDER BY created_at, id');
  const selectById = db.prepare<[string], PublishableKeyRow>('SELECT * FROM publishable_keys WHERE id = ?');
  const selectActive = db.prepare<[string], PublishableKeyRow>(
    'SELECT * FROM publishable_keys WHERE key = ? AND revoked_at IS NULL',
  );
  const updateKey = db.prepare(
    'UPDATE publishable_keys SET name = @name, policy = @policy, updated_at = @at WHERE id = @id',
  );
  const markRevoked = db.prepare(
    'UPDATE publishable_keys SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL',
  );

  return {
    create(name, policy) {
      const { id, key } = generatePublishableKey();
      insert.run({ id, key, name, policy: JSON.stringify(policy), at: now() });
      return toPublishableKey(selectById.get(id) as PublishableKeyRow);
    },
    list: () => selectAll.all().map(toPublishableKey),
    get(id) {
      const row = selectById.get(id);
      return row ? toPublishableKey(row) : undefined;
    },
    update(id, change) {
      const row = selectById.get(id);
      if (!row) return undefined;
      const policy = change.policy ? JSON.stringify(change.policy) : row.policy;
      updateKey.run({ id, name: change.name ?? row.name, policy, at: now() });
      return toPublishableKey(selectById.get(id) as PublishableKeyRow);
    },
    revoke(id) {
      const at = now();
      return markRevoked.run(at, at, id).changes === 1;
    },
    findActive(key) {
      const row = selectActive.get(key);
      return row ? toPublishableKey(row) : undefined;
    },
  };
}
