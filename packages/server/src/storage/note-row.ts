import type { Page } from '../contacts/contact-reads.js';
import type { NoteRequest, NoteRow } from '../contacts/contact-store.js';
import type { Note } from '../contacts/contact-write-schemas.js';
import type { Cursor, CursorCodec } from '../contacts/cursor.js';

/** The sort a notes cursor is issued for: newest first, (created_at, id). */
export const notesSort = 'notes';

export function toNote(row: NoteRow): Note {
  return {
    id: String(row.id),
    contactId: row.contact_id,
    body: row.body,
    author: row.author,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: row.updated_at === null ? null : new Date(row.updated_at).toISOString(),
  };
}

/** The cursor a notes request carries, read (undefined: the first page). */
export function notesAfter(request: NoteRequest, cursors: CursorCodec): Cursor | undefined {
  return request.cursor === undefined ? undefined : cursors.read(request.cursor, notesSort, 'integer');
}

/** A page of notes from `rows`, read one past the limit: that one tells whether another page exists. */
export function notesPage(rows: readonly NoteRow[], limit: number, cursors: CursorCodec): Page<Note> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toNote),
    nextCursor:
      rows.length > limit && last ? cursors.encode({ sort: notesSort, key: last.created_at, id: last.id }) : null,
  };
}
