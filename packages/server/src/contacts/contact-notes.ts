import type { SqliteDatabase } from '../storage/open-database.js';
import type { Page } from './contact-reads.js';
import type { Note } from './contact-write-schemas.js';
import { loadCursorCodec } from './cursor.js';

export interface NoteRow {
  readonly id: number;
  readonly profile_id: number;
  readonly body: string;
  readonly author: string | null;
  readonly created_at: number;
}

export interface NoteRequest {
  readonly limit: number;
  readonly cursor: string | undefined;
}

export interface ContactNotes {
  add(profileId: number, body: string, author: string | undefined): Note;
  /** Notes of the profile and of every profile merged into it, newest first. */
  list(profileId: number, request: NoteRequest): Page<Note>;
}

const notesSort = 'notes';

export function createContactNotes(db: SqliteDatabase, now: () => number): ContactNotes {
  const cursors = loadCursorCodec(db);
  const insertNote = db.prepare<[number, string, string | null, number], NoteRow>(
    'INSERT INTO notes (profile_id, body, author, created_at) VALUES (?, ?, ?, ?) RETURNING *',
  );
  // Notes stay on the profile they were written on; merged_into leads from it to the survivor.
  const notesOf = (paged: boolean) =>
    db.prepare(
      `SELECT id, profile_id, body, author, created_at FROM notes
       WHERE profile_id IN (SELECT @profileId UNION ALL SELECT id FROM profiles WHERE merged_into = @profileId)
         ${paged ? 'AND (created_at, id) < (@createdAt, @id)' : ''}
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
  const firstNotes = notesOf(false);
  const notesAfter = notesOf(true);

  return {
    add(profileId, body, author) {
      return toNote(insertNote.get(profileId, body, author ?? null, now()) as NoteRow);
    },
    list(profileId, request) {
      const after = request.cursor === undefined ? undefined : cursors.read(request.cursor, notesSort, 'integer');
      const params = { profileId, limit: request.limit + 1 };
      // One row more than asked tells whether another page exists.
      const rows = (
        after ? notesAfter.all({ ...params, createdAt: after.key, id: after.id }) : firstNotes.all(params)
      ) as NoteRow[];
      const page = rows.slice(0, request.limit);
      const last = page.at(-1);
      return {
        data: page.map(toNote),
        nextCursor:
          rows.length > request.limit && last
            ? cursors.encode({ sort: notesSort, key: last.created_at, id: last.id })
            : null,
      };
    },
  };
}

export function toNote(row: NoteRow): Note {
  return {
    id: String(row.id),
    contactId: String(row.profile_id),
    body: row.body,
    author: row.author,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
