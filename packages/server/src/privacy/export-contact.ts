import type { NoteRow } from '../contacts/contact-notes.js';
import { toNote } from '../contacts/contact-notes.js';
import type { Note } from '../contacts/contact-write-schemas.js';
import type { SqliteDatabase } from '../storage/open-database.js';

export interface ContactExport {
  readonly exportedAt: string;
  readonly contact: Record<string, unknown>;
  readonly profileIds: string[];
  readonly notes: Note[];
  readonly edits: { id: string; contactId: string; editedAt: string; changes: unknown }[];
  readonly events: Record<string, unknown>[];
}

export interface ContactExporter {
  /**
   * Everything stored about a live profile and the profiles merged into it: the contact record as
   * the API shows it, then notes, edits and every event as stored, oldest first.
   */
  exportContact(profileId: number, contact: Record<string, unknown>, exportedAt: number): ContactExport;
}

interface EditRow {
  readonly id: number;
  readonly profile_id: number;
  readonly edited_at: number;
  readonly changes: string;
}

/** Right of access: GET /v1/contacts/{ref}/export. */
export function createContactExporter(db: SqliteDatabase): ContactExporter {
  const profileIds = db
    .prepare<[number, number], number>('SELECT ? UNION ALL SELECT id FROM profiles WHERE merged_into = ?')
    .pluck();
  const eventsOf = db
    .prepare<[number, number], string>(
      `SELECT body FROM events
       WHERE profile_id IN (SELECT ? UNION ALL SELECT id FROM profiles WHERE merged_into = ?)
       ORDER BY timestamp, id`,
    )
    .pluck();
  const notesOf = db.prepare<[number], NoteRow>(
    'SELECT id, profile_id, body, author, created_at FROM notes WHERE profile_id = ? ORDER BY created_at, id',
  );
  const editsOf = db.prepare<[number], EditRow>(
    'SELECT id, profile_id, edited_at, changes FROM manual_edits WHERE profile_id = ? ORDER BY id',
  );

  return {
    exportContact(profileId, contact, exportedAt) {
      const ids = profileIds.all(profileId, profileId);
      return {
        exportedAt: new Date(exportedAt).toISOString(),
        contact,
        profileIds: ids.map(String),
        notes: ids.flatMap((id) => notesOf.all(id)).map(toNote),
        edits: ids
          .flatMap((id) => editsOf.all(id))
          .map((row) => ({
            id: String(row.id),
            contactId: String(row.profile_id),
            editedAt: new Date(row.edited_at).toISOString(),
            changes: JSON.parse(row.changes) as unknown,
          })),
        events: eventsOf.all(profileId, profileId).map((body) => JSON.parse(body) as Record<string, unknown>),
      };
    },
  };
}
