import type pg from 'pg';
import type { ContactNotes, NoteRow } from '../../../contacts/contact-store.js';
import type { CursorCodec } from '../../../contacts/cursor.js';
import { notesAfter, notesPage, toNote } from '../../note-row.js';
import { appendChanges } from '../postgres-change-feed.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

const noteColumns = `note.id, profile.public_id AS contact_id, note.body, note.author, note.created_at, note.updated_at
  FROM notes AS note JOIN profiles AS profile ON profile.id = note.profile_id`;
// Notes stay on the profile they were written on; merged_into leads from it to the survivor.
const ofContact = 'note.profile_id IN (SELECT $1::bigint UNION ALL SELECT id FROM profiles WHERE merged_into = $1)';

/** Notes on PostgreSQL (SQLite's: storage/sqlite/contacts/contact-notes.ts). */
export function createPostgresContactNotes(pool: PostgresPool, now: () => number, cursors: CursorCodec): ContactNotes {
  const read = async (client: pg.PoolClient, noteId: number) =>
    toNote((await client.query<NoteRow>(`SELECT ${noteColumns} WHERE note.id = $1`, [noteId])).rows[0] as NoteRow);
  // A note is part of the contact's story: the feed says one was written or edited (not its text).
  const recordNote = async (client: pg.PoolClient, profileId: number, noteId: number, action: 'added' | 'edited') => {
    const { rows } = await client.query<{ public_id: string }>('SELECT public_id FROM profiles WHERE id = $1', [
      profileId,
    ]);
    await appendChanges(
      client,
      [
        {
          type: 'contact.updated',
          profileId,
          contactId: rows[0]?.public_id ?? null,
          data: { note: { id: String(noteId), action } },
        },
      ],
      now(),
    );
  };
  return {
    add: (profileId, body, author) =>
      inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          'INSERT INTO notes (profile_id, body, author, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
          [profileId, body, author ?? null, now()],
        );
        const noteId = (rows[0] as { id: number }).id;
        await recordNote(client, profileId, noteId, 'added');
        return read(client, noteId);
      }),
    async list(profileId, request) {
      const after = notesAfter(request, cursors);
      const { rows } = await pool.query<NoteRow>(
        `SELECT ${noteColumns} WHERE ${ofContact} ${after ? 'AND (note.created_at, note.id) < ($3, $4)' : ''}
         ORDER BY note.created_at DESC, note.id DESC LIMIT $2`,
        after ? [profileId, request.limit + 1, after.key, after.id] : [profileId, request.limit + 1],
      );
      return notesPage(rows, request.limit, cursors);
    },
    edit: (profileId, noteId, body) =>
      inTransaction(pool, async (client) => {
        const updated = await client.query(
          `UPDATE notes AS note SET body = $3, updated_at = $4 WHERE note.id = $2 AND ${ofContact}`,
          [profileId, noteId, body, now()],
        );
        if (updated.rowCount !== 1) return undefined;
        await recordNote(client, profileId, noteId, 'edited');
        return read(client, noteId);
      }),
  };
}
