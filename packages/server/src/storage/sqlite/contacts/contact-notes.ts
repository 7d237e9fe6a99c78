import type { ChangeSink } from '../../../changes/change.js';
import type { ContactNotes, NoteRow } from '../../../contacts/contact-store.js';
import { notesAfter, notesPage, toNote } from '../../note-row.js';
import type { SqliteDatabase } from '../open-database.js';
import { loadCursorCodec } from '../server-secrets.js';
import type { Synchronous } from '../synchronous.js';

const noteColumns = `note.id, profile.public_id AS contact_id, note.body, note.author, note.created_at, note.updated_at
  FROM notes AS note JOIN profiles AS profile ON profile.id = note.profile_id`;
// Notes stay on the profile they were written on; merged_into leads from it to the survivor.
const ofContact =
  'note.profile_id IN (SELECT @profileId UNION ALL SELECT id FROM profiles WHERE merged_into = @profileId)';

export function createContactNotes(
  db: SqliteDatabase,
  now: () => number,
  changes: ChangeSink,
): Synchronous<ContactNotes> {
  const cursors = loadCursorCodec(db);
  const selectContactId = db.prepare<[number], string>('SELECT public_id FROM profiles WHERE id = ?').pluck();
  // A note is part of the contact's story: the feed says one was written or edited (not its text).
  const recordNote = (profileId: number, noteId: number, action: 'added' | 'edited') =>
    changes.record({
      type: 'contact.updated',
      profileId,
      contactId: selectContactId.get(profileId) ?? null,
      data: { note: { id: String(noteId), action } },
    });
  const insertNote = db.prepare<[number, string, string | null, number]>(
    'INSERT INTO notes (profile_id, body, author, created_at) VALUES (?, ?, ?, ?)',
  );
  const selectNote = db.prepare<[number], NoteRow>(`SELECT ${noteColumns} WHERE note.id = ?`);
  const notesOf = (paged: boolean) =>
    db.prepare(
      `SELECT ${noteColumns} WHERE ${ofContact}
         ${paged ? 'AND (note.created_at, note.id) < (@createdAt, @id)' : ''}
       ORDER BY note.created_at DESC, note.id DESC LIMIT @limit`,
    );
  const firstNotes = notesOf(false);
  const notesAfterStatement = notesOf(true);
  const updateNote = db.prepare(
    `UPDATE notes AS note SET body = @body, updated_at = @now WHERE note.id = @noteId AND ${ofContact}`,
  );

  const read = (id: number | bigint) => toNote(selectNote.get(Number(id)) as NoteRow);
  const add = db.transaction((profileId: number, body: string, author: string | undefined) => {
    const noteId = Number(insertNote.run(profileId, body, author ?? null, now()).lastInsertRowid);
    recordNote(profileId, noteId, 'added');
    return read(noteId);
  });
  const edit = db.transaction((profileId: number, noteId: number, body: string) => {
    if (updateNote.run({ profileId, noteId, body, now: now() }).changes !== 1) return undefined;
    recordNote(profileId, noteId, 'edited');
    return read(noteId);
  });
  return {
    add: (profileId, body, author) => add(profileId, body, author),
    list(profileId, request) {
      const after = notesAfter(request, cursors);
      const params = { profileId, limit: request.limit + 1 };
      const rows = (
        after ? notesAfterStatement.all({ ...params, createdAt: after.key, id: after.id }) : firstNotes.all(params)
      ) as NoteRow[];
      return notesPage(rows, request.limit, cursors);
    },
    edit: (profileId, noteId, body) => edit(profileId, noteId, body),
  };
}
