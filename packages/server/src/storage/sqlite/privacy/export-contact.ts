import type { NoteRow } from '../../../contacts/contact-store.js';
import type { ContactExporter } from '../../../privacy/privacy-store.js';
import { contactExport, type EditRow } from '../../contact-export-rows.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';

/** Right of access: GET /v1/contacts/{ref}/export. */
export function createContactExporter(db: SqliteDatabase): Synchronous<ContactExporter> {
  const profilesOf = db.prepare<[number, number], { id: number; public_id: string }>(
    `SELECT id, public_id FROM profiles WHERE id = ? UNION ALL SELECT id, public_id FROM profiles WHERE merged_into = ?`,
  );
  const eventsOf = db
    .prepare<[number, number], string>(
      `SELECT body FROM events
       WHERE profile_id IN (SELECT ? UNION ALL SELECT id FROM profiles WHERE merged_into = ?)
       ORDER BY timestamp, id`,
    )
    .pluck();
  const notesOf = db.prepare<[number], NoteRow>(
    `SELECT note.id, profile.public_id AS contact_id, note.body, note.author, note.created_at, note.updated_at
     FROM notes AS note JOIN profiles AS profile ON profile.id = note.profile_id
     WHERE note.profile_id = ? ORDER BY note.created_at, note.id`,
  );
  const editsOf = db.prepare<[number], EditRow>(
    'SELECT id, profile_id, edited_at, changes FROM manual_edits WHERE profile_id = ? ORDER BY id',
  );

  return {
    exportContact(profileId, contact, exportedAt) {
      const profiles = profilesOf.all(profileId, profileId);
      return contactExport({
        exportedAt,
        contact,
        profiles,
        notes: profiles.flatMap((profile) => notesOf.all(profile.id)),
        edits: profiles.flatMap((profile) => editsOf.all(profile.id)),
        events: eventsOf.all(profileId, profileId),
      });
    },
  };
}
