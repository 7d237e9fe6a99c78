import type { Identifier } from '../identity/identity-rules.js';
import type { SqliteDatabase } from '../storage/open-database.js';
import type { IdentifierHasher } from './identifier-hash.js';

export interface ErasureSummary {
  /** The contact erased (the live profile). */
  readonly id: number;
  readonly erasedAt: number;
  /** Profiles removed: the contact and those merged into it. */
  readonly profiles: number;
  readonly identifiers: number;
  readonly events: number;
  readonly notes: number;
  readonly suppressed: boolean;
}

export interface ContactEraser {
  /** Erases a live profile and everything merged into it; suppresses its identifiers too if asked. */
  erase(profileId: number, options: { readonly suppress: boolean }): ErasureSummary;
}

/**
 * Right to erasure. One transaction removes the profile, the profiles merged into it, their
 * identifiers, events, notes, edits, merge records and company links, and leaves per identifier a
 * tombstone: its keyed hash and the erasure time (privacy-gate.ts reads them at ingest). With
 * secure_delete on, SQLite zeroes the freed bytes; the checkpoint then empties the write-ahead log,
 * where older copies of the pages would otherwise linger until the next checkpoint.
 */
export function createContactEraser(db: SqliteDatabase, hash: IdentifierHasher, now: () => number): ContactEraser {
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
  // Children first: foreign keys are on. events.profile_id has no foreign key (migration 004).
  const byProfile = (table: string, column = 'profile_id') =>
    db.prepare<[number]>(`DELETE FROM ${table} WHERE ${column} = ?`);
  const deleteIdentifiers = byProfile('identifiers');
  const deleteEvents = byProfile('events');
  const deleteNotes = byProfile('notes');
  const deleteEdits = byProfile('manual_edits');
  const deleteCompanyLinks = byProfile('profile_companies');
  const deleteMerges = byProfile('merges', 'survivor_id');
  const deleteProfiles = db.prepare<[number, number]>('DELETE FROM profiles WHERE id = ? OR merged_into = ?');

  const eraseAll = db.transaction((profileId: number, suppressed: boolean, erasedAt: number): ErasureSummary => {
    const profileIds = [profileId, ...mergedInto.all(profileId)];
    const identifiers = profileIds.flatMap((id) => identifiersOf.all(id));
    for (const identifier of identifiers) {
      const key = hash(identifier);
      tombstone.run(key, erasedAt);
      if (suppressed) suppress.run(key, identifier.type, erasedAt);
    }
    let events = 0;
    let notes = 0;
    for (const id of profileIds) {
      deleteIdentifiers.run(id);
      events += deleteEvents.run(id).changes;
      notes += deleteNotes.run(id).changes;
      deleteEdits.run(id);
      deleteCompanyLinks.run(id);
      deleteMerges.run(id);
    }
    const profiles = deleteProfiles.run(profileId, profileId).changes;
    return { id: profileId, erasedAt, profiles, identifiers: identifiers.length, events, notes, suppressed };
  });

  return {
    erase(profileId, options) {
      const previous = db.pragma('secure_delete', { simple: true });
      db.pragma('secure_delete = ON');
      try {
        const summary = eraseAll(profileId, options.suppress, now());
        if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
        return summary;
      } finally {
        db.pragma(`secure_delete = ${previous === 1 ? 'ON' : 'OFF'}`);
      }
    },
  };
}
