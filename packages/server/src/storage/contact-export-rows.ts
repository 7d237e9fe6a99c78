import type { NoteRow } from '../contacts/contact-store.js';
import type { ContactExport } from '../privacy/privacy-store.js';
import { toNote } from './note-row.js';

/** A manual edit's row, as both engines store it. */
export interface EditRow {
  readonly id: number;
  readonly profile_id: number;
  readonly edited_at: number;
  readonly changes: string;
}

/** What both engines read for an export, put together as GET /v1/contacts/{ref}/export answers it. */
export function contactExport(read: {
  readonly exportedAt: number;
  readonly contact: Record<string, unknown>;
  /** The live profile first, then those merged into it. */
  readonly profiles: readonly { readonly id: number; readonly public_id: string }[];
  readonly notes: readonly NoteRow[];
  readonly edits: readonly EditRow[];
  /** Stored bodies, oldest first. */
  readonly events: readonly string[];
}): ContactExport {
  const publicIds = new Map(read.profiles.map((profile) => [profile.id, profile.public_id]));
  return {
    exportedAt: new Date(read.exportedAt).toISOString(),
    contact: read.contact,
    profileIds: read.profiles.map((profile) => profile.public_id),
    notes: read.notes.map(toNote),
    edits: read.edits.map((row) => ({
      id: String(row.id),
      contactId: publicIds.get(row.profile_id) ?? '',
      editedAt: new Date(row.edited_at).toISOString(),
      changes: JSON.parse(row.changes) as unknown,
    })),
    events: read.events.map((body) => JSON.parse(body) as Record<string, unknown>),
  };
}
