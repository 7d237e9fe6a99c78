import type { Statement } from 'better-sqlite3';
import type { ChangeSink } from '../../../changes/change.js';
import {
  createdChange,
  type EditPlan,
  editedChange,
  newContactIdentifiers,
  type ProfileState,
  planEdit,
} from '../../../contacts/contact-edit.js';
import type { ContactWrites, CreateResult } from '../../../contacts/contact-store.js';
import type { ContactPatch, NewContact } from '../../../contacts/contact-write-schemas.js';
import { newContactId } from '../../../identity/contact-id.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';

/**
 * Edits write the same columns, in the same shape, as identity does, by the rule of
 * contacts/contact-edit.ts. The contact_email/contact_name triggers of migration 018 fire on the
 * traits update and on the new email identifier.
 */
export function createContactWrites(
  db: SqliteDatabase,
  now: () => number,
  changes: ChangeSink,
): Synchronous<ContactWrites> {
  const recordEdit = db.prepare<[number, number, string]>(
    'INSERT INTO manual_edits (profile_id, edited_at, changes) VALUES (?, ?, ?)',
  );
  const updateTraits = db.prepare<[string, string, number]>(
    'UPDATE profiles SET traits = ?, trait_stamps = ? WHERE id = ?',
  );
  // A field the edit leaves out keeps its value; one sent as null is cleared.
  const updateCrmFields = db.prepare(
    `UPDATE profiles SET
       lifecycle_stage = CASE WHEN @setStage THEN @stage ELSE lifecycle_stage END,
       owner = CASE WHEN @setOwner THEN @owner ELSE owner END,
       tags = CASE WHEN @setTags THEN @tags ELSE tags END,
       updated_at = @now
     WHERE id = @id`,
  );
  const { selectOwner, selectState, insertProfile, insertIdentifier } = prepareProfileStatements(db);

  /** Applies an edit (contacts/contact-edit.ts) and answers what it did. */
  function applyPatch(profileId: number, patch: ContactPatch, at: number): EditPlan & { contactId: string } {
    const before = selectState.get(profileId);
    if (!before) throw new Error(`no profile ${profileId}`);
    const editId = Number(recordEdit.run(profileId, at, JSON.stringify(patch)).lastInsertRowid);
    const plan = planEdit(before, patch, at, editId);
    if (plan.traits) updateTraits.run(plan.traits.values, plan.traits.stamps, profileId);
    const { columns } = plan;
    updateCrmFields.run({
      id: profileId,
      now: at,
      setStage: 'lifecycleStage' in columns ? 1 : 0,
      stage: columns.lifecycleStage ?? null,
      setOwner: 'owner' in columns ? 1 : 0,
      owner: columns.owner ?? null,
      setTags: 'tags' in columns ? 1 : 0,
      tags: columns.tags ?? '[]',
    });
    return { ...plan, contactId: before.public_id };
  }

  const liveOf = db.prepare<[number], number>('SELECT coalesce(merged_into, id) FROM profiles WHERE id = ?').pluck();

  const patch = db.transaction((asked: number, edit: ContactPatch): boolean => {
    // Looked up before this transaction: merged since (merged_into names the live one), or erased.
    const profileId = liveOf.get(asked);
    if (profileId === undefined) return false;
    const plan = applyPatch(profileId, edit, now());
    const change = editedChange(profileId, plan.contactId, plan);
    if (change) changes.record(change);
    return true;
  });

  const create = db.transaction((input: NewContact): CreateResult => {
    const identifiers = newContactIdentifiers(input);
    for (const { type, value } of identifiers) {
      const owner = selectOwner.get(type, value);
      if (owner !== undefined) return { existingId: owner };
    }
    const at = now();
    // Seen when made: a later event's earlier timestamp lowers firstSeenAt, as for any profile.
    const contactId = newContactId(at);
    const id = Number(insertProfile.run(contactId, at, at, at, at, identifiers.length).lastInsertRowid);
    for (const { type, value } of identifiers) insertIdentifier.run(type, value, id, at);
    const { email: _email, userId: _userId, ...fields } = input;
    changes.record(createdChange(id, contactId, identifiers, applyPatch(id, fields, at)));
    return { created: id };
  });

  return { patch, create };
}

export interface ProfileStatements {
  /** The profile holding an identifier, if any. */
  readonly selectOwner: Statement<[string, string], number>;
  readonly selectState: Statement<[number], ProfileState>;
  readonly insertProfile: Statement<[string, number, number, number, number, number]>;
  readonly insertIdentifier: Statement<[string, string, number, number]>;
}

/** The statements a hand-made contact needs, shared by edits and imports (contact-import.ts). */
export function prepareProfileStatements(db: SqliteDatabase): ProfileStatements {
  return {
    selectOwner: db
      .prepare<[string, string], number>('SELECT profile_id FROM identifiers WHERE type = ? AND value = ?')
      .pluck(),
    selectState: db.prepare<[number], ProfileState>(
      'SELECT public_id, traits, trait_stamps, lifecycle_stage, owner, tags FROM profiles WHERE id = ?',
    ),
    insertProfile: db.prepare<[string, number, number, number, number, number]>(
      `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, created_at, updated_at, identifier_count)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertIdentifier: db.prepare<[string, string, number, number]>(
      'INSERT INTO identifiers (type, value, profile_id, first_seen_at) VALUES (?, ?, ?, ?)',
    ),
  };
}
