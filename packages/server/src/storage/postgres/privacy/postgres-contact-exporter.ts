import type { NoteRow } from '../../../contacts/contact-store.js';
import type { ContactExporter } from '../../../privacy/privacy-store.js';
import { contactExport, type EditRow } from '../../contact-export-rows.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

/**
 * Right of access on PostgreSQL (SQLite's: storage/sqlite/privacy/export-contact.ts): the reads run
 * in one REPEATABLE READ transaction, so the export is one moment's picture even while other
 * servers write to the contact.
 */
export function createPostgresContactExporter(pool: PostgresPool): ContactExporter {
  return {
    exportContact: (profileId, contact, exportedAt) =>
      inTransaction(pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        const profiles = await client.query<{ id: number; public_id: string }>(
          `SELECT id, public_id FROM profiles WHERE id = $1
           UNION ALL (SELECT id, public_id FROM profiles WHERE merged_into = $1 ORDER BY id)`,
          [profileId],
        );
        const ids = profiles.rows.map((profile) => profile.id);
        const notes = await client.query<NoteRow>(
          `SELECT note.id, profile.public_id AS contact_id, note.body, note.author, note.created_at, note.updated_at
           FROM notes AS note JOIN profiles AS profile ON profile.id = note.profile_id
           WHERE note.profile_id = ANY ($1) ORDER BY array_position($1, note.profile_id), note.created_at, note.id`,
          [ids],
        );
        const edits = await client.query<EditRow>(
          `SELECT id, profile_id, edited_at, changes FROM manual_edits WHERE profile_id = ANY ($1)
           ORDER BY array_position($1, profile_id), id`,
          [ids],
        );
        const events = await client.query<{ body: string }>(
          'SELECT body FROM events WHERE profile_id = ANY ($1) ORDER BY timestamp, id',
          [ids],
        );
        return contactExport({
          exportedAt,
          contact,
          profiles: profiles.rows,
          notes: notes.rows,
          edits: edits.rows,
          events: events.rows.map((row) => row.body),
        });
      }),
  };
}
