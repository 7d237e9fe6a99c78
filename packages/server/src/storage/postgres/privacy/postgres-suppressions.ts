import type { CursorCodec } from '../../../contacts/cursor.js';
import type { Suppressions } from '../../../privacy/privacy-store.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import { type SuppressionRow, suppressionPage, suppressionsAfter } from '../../suppression-row.js';
import type { PostgresPool } from '../postgres-pool.js';

/** The suppression list on PostgreSQL (SQLite's: storage/sqlite/privacy/suppressions.ts). */
export function createPostgresSuppressions(
  pool: PostgresPool,
  hash: IdentifierHasher,
  cursors: CursorCodec,
): Suppressions {
  return {
    async list(request) {
      const after = suppressionsAfter(request.cursor, cursors);
      const { rows } = await pool.query<SuppressionRow>(
        `SELECT id, identifier_hash, type, suppressed_at FROM suppressions
         ${after ? 'WHERE (suppressed_at, id) > ($2, $3)' : ''}
         ORDER BY suppressed_at, id LIMIT $1`,
        after ? [request.limit + 1, after.key, after.id] : [request.limit + 1],
      );
      return suppressionPage(rows, request.limit, cursors);
    },
    async lift(identifier) {
      const { rowCount } = await pool.query('DELETE FROM suppressions WHERE identifier_hash = $1', [hash(identifier)]);
      return rowCount === 1;
    },
  };
}
