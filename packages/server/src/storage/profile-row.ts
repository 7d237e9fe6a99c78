import type { ProfileRecord } from '../identity/identity-store.js';
import { readStamped } from '../identity/stamped-values.js';

/** The columns of a contact the API reads (contacts/contact-view.ts ProfileRow), as both engines keep them. */
export const profileRowColumns = `id, public_id, merged_into, first_seen_at, last_seen_at, event_count, traits, lifecycle_stage, owner,
  tags, created_at, updated_at, contact_email`;

/** The columns of a profile the resolver reads, as both engines keep them. */
export const profileRecordColumns =
  'id, public_id, first_seen_at, last_seen_at, event_count, merge_count, identifier_count, traits, trait_stamps';

export interface ProfileRecordRow {
  id: number;
  public_id: string;
  first_seen_at: number;
  last_seen_at: number;
  event_count: number;
  merge_count: number;
  identifier_count: number;
  traits: string;
  trait_stamps: string;
}

export function toProfileRecord(row: ProfileRecordRow): ProfileRecord {
  return {
    id: row.id,
    contactId: row.public_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    eventCount: row.event_count,
    mergeCount: row.merge_count,
    identifierCount: row.identifier_count,
    traits: readStamped(row.traits, row.trait_stamps),
  };
}
