import type { Suppressions } from '../../../privacy/privacy-store.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import { type SuppressionRow, suppressionPage, suppressionsAfter } from '../../suppression-row.js';
import type { SqliteDatabase } from '../open-database.js';
import { loadCursorCodec } from '../server-secrets.js';
import type { Synchronous } from '../synchronous.js';

/** The suppression list the erasure with `?suppress=true` fills (erase-contact.ts). */
export function createSuppressions(db: SqliteDatabase, hash: IdentifierHasher): Synchronous<Suppressions> {
  const cursors = loadCursorCodec(db);
  const page = (paged: boolean) =>
    db.prepare(
      `SELECT id, identifier_hash, type, suppressed_at FROM suppressions
       ${paged ? 'WHERE (suppressed_at, id) > (@key, @id)' : ''}
       ORDER BY suppressed_at, id LIMIT @limit`,
    );
  const firstPage = page(false);
  const pageAfter = page(true);
  const deleteOne = db.prepare<[string]>('DELETE FROM suppressions WHERE identifier_hash = ?');

  return {
    list(request) {
      const after = suppressionsAfter(request.cursor, cursors);
      const params = { limit: request.limit + 1 };
      const rows = (
        after ? pageAfter.all({ ...params, key: after.key, id: after.id }) : firstPage.all(params)
      ) as SuppressionRow[];
      return suppressionPage(rows, request.limit, cursors);
    },
    lift: (identifier) => deleteOne.run(hash(identifier)).changes === 1,
  };
}
