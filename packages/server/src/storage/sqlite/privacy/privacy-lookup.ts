import type { PrivacyLookup } from '../../../ingest/pipeline.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import type { SqliteDatabase } from '../open-database.js';

/** The erasure tombstones and suppressions of migration 009, looked up by keyed hash. */
export function createPrivacyLookup(db: SqliteDatabase, hash: IdentifierHasher): PrivacyLookup {
  const anyErasure = db.prepare('SELECT EXISTS (SELECT 1 FROM erasures)').pluck();
  const anySuppression = db.prepare('SELECT EXISTS (SELECT 1 FROM suppressions)').pluck();
  const erasedAt = db.prepare<[string], number>('SELECT erased_at FROM erasures WHERE identifier_hash = ?').pluck();
  const suppressed = db.prepare<[string], number>('SELECT 1 FROM suppressions WHERE identifier_hash = ?').pluck();
  return {
    hasAny: () => ({ erasures: anyErasure.get() === 1, suppressions: anySuppression.get() === 1 }),
    erasedAt: (identifier) => erasedAt.get(hash(identifier)),
    isSuppressed: (identifier) => suppressed.get(hash(identifier)) !== undefined,
  };
}
