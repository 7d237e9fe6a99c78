import type { Page } from '../contacts/contact-reads.js';
import type { Cursor, CursorCodec } from '../contacts/cursor.js';
import type { Suppression } from '../privacy/privacy-store.js';

/** A row of the suppression list, as both engines store it. */
export interface SuppressionRow {
  readonly id: number;
  readonly identifier_hash: string;
  readonly type: string;
  readonly suppressed_at: number;
}

/** The sort a suppression cursor is issued for: oldest first, (suppressed_at, id). */
const suppressionSort = 'suppressions';

/** The cursor a list request carries, read (undefined: the first page). */
export function suppressionsAfter(cursor: string | undefined, cursors: CursorCodec): Cursor | undefined {
  return cursor === undefined ? undefined : cursors.read(cursor, suppressionSort, 'integer');
}

/** A page of the list from `rows`, read one past the limit: that one tells whether another page exists. */
export function suppressionPage(
  rows: readonly SuppressionRow[],
  limit: number,
  cursors: CursorCodec,
): Page<Suppression> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return {
    data: data.map((row) => ({
      type: row.type,
      hash: row.identifier_hash,
      suppressedAt: new Date(row.suppressed_at).toISOString(),
    })),
    nextCursor:
      rows.length > limit && last
        ? cursors.encode({ sort: suppressionSort, key: last.suppressed_at, id: last.id })
        : null,
  };
}
