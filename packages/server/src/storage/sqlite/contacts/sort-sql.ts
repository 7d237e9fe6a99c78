import type { ContactSort } from '../../../contacts/contact-schemas.js';
import { type contactSortColumns, sortKey } from '../../../contacts/contact-store.js';

/** How a sort of the contacts list and search becomes SQL. */

/** The live contacts' index of each sort: (column, id), partial on `merged_into IS NULL`. */
const sortIndexes = {
  last_seen_at: 'profiles_live_last_seen',
  first_seen_at: 'profiles_live_first_seen',
  created_at: 'profiles_live_created',
  contact_email: 'profiles_live_email',
} as const satisfies Record<(typeof contactSortColumns)[keyof typeof contactSortColumns], string>;

/** A sort as SQL: its column and index, `ORDER BY` and, for a page past a cursor, the keyset condition. */
export function sortSql(sort: ContactSort) {
  const descending = sort.startsWith('-');
  // Only the column names of contactSortColumns ever reach SQL text.
  const { column } = sortKey(sort);
  const direction = descending ? 'DESC' : 'ASC';
  return {
    column,
    index: sortIndexes[column],
    orderBy: `ORDER BY ${column} ${direction}, id ${direction}`,
    // Row-value comparison: strictly past the last row of the previous page, ties broken by id.
    after: `(${column}, id) ${descending ? '<' : '>'} (@key, @id)`,
  };
}
