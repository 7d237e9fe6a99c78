import type { ChangeSink } from '../../../changes/change.js';
import type { Identifier } from '../../../identity/identity-rules.js';
import { stampsWithoutErased } from '../../../privacy/erased-stamps.js';
import { type ContactEraser, ErasureNotFinal, type ErasureSummary } from '../../../privacy/privacy-store.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import type { SqliteDatabase } from '../open-database.js';
import { createFilePurge, type FilePurge } from './purge-file.js';

/**
 * Right to erasure. One transaction removes the profile, the profiles merged into it, their
 * identifiers, events, notes, edits, merge records and company links (companies stay), takes the
 * erased events' messageIds out of the linked companies' trait stamps, and leaves per identifier a
 * tombstone: its keyed hash and the erasure time (privacy-gate.ts reads them at ingest). Then the
 * file is written anew from the live rows and the write-ahead log emptied (purge-file.ts): copies of
 * the erased rows that earlier updates and page splits left in unused space go with it.
 */
export interface EraserOptions {
  readonly hash: IdentifierHasher;
  readonly now: () => number;
  /** The change feed: the contact's changes go, one contact.deleted comes. */
  readonly changes: ChangeSink;
  /** Called once the erasure has committed (wakes the feed's readers). */
  readonly onCommitted?: () => void;
  readonly filePurge?: FilePurge;
}

export function createContactEraser(db: SqliteDatabase, options: EraserOptions): ContactEraser {
  const { hash, now, changes } = options;
  const filePurge = options.filePurge ?? createFilePurge(db);
  const selectContactId = db.prepare<[number], string>('SELECT public_id FROM profiles WHERE id = ?').pluck();
  const deleteChanges = db.prepare<[number]>('DELETE FROM changes WHERE profile_id = ?');
  const mergedInto = db.prepare<[number], number>('SELECT id FROM profiles WHERE merged_into = ?').pluck();
  const identifiersOf = db.prepare<[number], Identifier>('SELECT type, value FROM identifiers WHERE profile_id = ?');
  const tombstone = db.prepare<[string, number]>(
    `INSERT INTO erasures (identifier_hash, erased_at) VALUES (?, ?)
     ON CONFLICT (identifier_hash) DO UPDATE SET erased_at = max(erased_at, excluded.erased_at)`,
  );
  const suppress = db.prepare<[string, string, number]>(
    `INSERT INTO suppressions (identifier_hash, type, suppressed_at) VALUES (?, ?, ?)
     ON CONFLICT (identifier_hash) DO NOTHING`,
  );
  const groupMessageIds = db
    .prepare<[number], string>("SELECT message_id FROM events WHERE profile_id = ? AND type = 'group'")
    .pluck();
  const linkedCompanies = db.prepare<[number], { id: number; trait_stamps: string }>(
    `SELECT company.id, company.trait_stamps FROM profile_companies AS link
     JOIN companies AS company ON company.id = link.company_id WHERE link.profile_id = ?`,
  );
  const rewriteStamps = db.prepare<[string, number]>('UPDATE companies SET trait_stamps = ? WHERE id = ?');
  // Children first: foreign keys are on. events.profile_id has no foreign key (migration 004).
  const byProfile = (table: string, column = 'profile_id') =>
    db.prepare<[number]>(`DELETE FROM ${table} WHERE ${column} = ?`);
  const deleteIdentifiers = byProfile('identifiers');
  const deleteEvents = byProfile('events');
  const deleteNotes = byProfile('notes');
  const deleteEdits = byProfile('manual_edits');
  const deleteCompanyLinks = byProfile('profile_companies');
  const deleteMerges = byProfile('merges', 'survivor_id');
  const audienceState = [byProfile('audience_members'), byProfile('audience_profiles')];
  const deleteProfiles = db.prepare<[number, number]>('DELETE FROM profiles WHERE id = ? OR merged_into = ?');
  // Queued webhook messages carry the contact's changes and events (and what receivers answered).
  const deleteWebhookMessages = db.prepare<[number]>(
    'DELETE FROM webhook_messages WHERE contact_id = (SELECT public_id FROM profiles WHERE id = ?)',
  );

  /** A company stays, but the stamp of a trait the erased person's group call set names that call: not any more. */
  function forgetCompanyStamps(profileIds: readonly number[]): void {
    const erasedMessageIds = new Set(profileIds.flatMap((id) => groupMessageIds.all(id)));
    if (erasedMessageIds.size === 0) return;
    for (const company of profileIds.flatMap((id) => linkedCompanies.all(id))) {
      const stamps = stampsWithoutErased(company.trait_stamps, erasedMessageIds);
      if (stamps !== undefined) rewriteStamps.run(stamps, company.id);
    }
  }

  const survivorOf = db.prepare<[number], number | null>('SELECT merged_into FROM profiles WHERE id = ?').pluck();

  const eraseAll = db.transaction((asked: number, suppressed: boolean, erasedAt: number): ErasureSummary => {
    // Merged into another since it was looked up: the erasure follows it to the survivor, as its ref
    // does (merged_into names the live one).
    const profileId = survivorOf.get(asked) ?? asked;
    const profileIds = [profileId, ...mergedInto.all(profileId)];
    const identifiers = profileIds.flatMap((id) => identifiersOf.all(id));
    for (const identifier of identifiers) {
      const key = hash(identifier);
      tombstone.run(key, erasedAt);
      if (suppressed) suppress.run(key, identifier.type, erasedAt);
    }
    forgetCompanyStamps(profileIds);
    const contactId = selectContactId.get(profileId) ?? null;
    let events = 0;
    let notes = 0;
    for (const id of profileIds) {
      deleteIdentifiers.run(id);
      events += deleteEvents.run(id).changes;
      notes += deleteNotes.run(id).changes;
      deleteEdits.run(id);
      deleteCompanyLinks.run(id);
      deleteMerges.run(id);
      deleteChanges.run(id);
      for (const statement of audienceState) statement.run(id);
      deleteWebhookMessages.run(id);
    }
    const profiles = deleteProfiles.run(profileId, profileId).changes;
    // All that is left of the contact in the feed: that it was deleted, under its id.
    changes.record({ type: 'contact.deleted', profileId: null, contactId, data: {} });
    return { erasedAt, profiles, identifiers: identifiers.length, events, notes, suppressed };
  });

  return {
    async erase(profileId, erasure) {
      const summary = eraseAll(profileId, erasure.suppress, now());
      options.onCommitted?.();
      if (!(await filePurge.purge())) {
        throw new ErasureNotFinal(
          'the contact is erased, but older copies of its pages are still in the write-ahead log: another ' +
            'connection is reading it. The server keeps trying to empty the log; check again later',
        );
      }
      return summary;
    },
  };
}
