import type { Statement } from 'better-sqlite3';
import { type ChangeSink, valueChanges } from '../../../changes/change.js';
import type { ContactWrites, CreateResult } from '../../../contacts/contact-store.js';
import type { ContactPatch, NewContact } from '../../../contacts/contact-write-schemas.js';
import { manualMessageId, stampEdit } from '../../../contacts/manual-edits.js';
import { newContactId } from '../../../identity/contact-id.js';
import { normalizeEmail } from '../../../identity/read-identity-event.js';
import { mergeStamped, readStamped, writeStamped } from '../../../identity/stamped-values.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';

/**
 * Edits write the same columns, in the same shape, as identity does: traits go through the one
 * newest-wins rule (stamped-values.ts) with messageId `manual:<n>` and a stamp no earlier than the
 * trait's current one (stampEdit), so the edit wins now, a later event overrides it and a
 * late-arriving older one does not. The contact_email/contact_name
 * triggers of migration 005 fire on the traits update and on the new email identifier.
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

  /** Applies an edit and answers what it changed: the fields and traits, old and new. */
  function applyPatch(profileId: number, patch: ContactPatch, at: number) {
    const before = selectState.get(profileId);
    if (!before) throw new Error(`no profile ${profileId}`);
    const editId = Number(recordEdit.run(profileId, at, JSON.stringify(patch)).lastInsertRowid);
    let traitsAfter = JSON.parse(before.traits) as Record<string, unknown>;
    if (patch.traits) {
      const current = readStamped(before.traits, before.trait_stamps);
      const merged = mergeStamped(current, stampEdit(patch.traits, current, at, manualMessageId(editId)));
      const written = writeStamped(merged);
      updateTraits.run(written.values, written.stamps, profileId);
      traitsAfter = JSON.parse(written.values) as Record<string, unknown>;
    }
    updateCrmFields.run({
      id: profileId,
      now: at,
      setStage: patch.lifecycleStage === undefined ? 0 : 1,
      stage: patch.lifecycleStage ?? null,
      setOwner: patch.owner === undefined ? 0 : 1,
      owner: patch.owner ?? null,
      setTags: patch.tags === undefined ? 0 : 1,
      tags: JSON.stringify(patch.tags ?? []),
    });
    const fieldsBefore = crmFields(before);
    const fieldsAfter = {
      lifecycleStage: patch.lifecycleStage === undefined ? fieldsBefore.lifecycleStage : patch.lifecycleStage,
      owner: patch.owner === undefined ? fieldsBefore.owner : patch.owner,
      tags: patch.tags === undefined ? fieldsBefore.tags : patch.tags,
    };
    return {
      contactId: before.public_id,
      fields: valueChanges(fieldsBefore, fieldsAfter),
      traits: valueChanges(JSON.parse(before.traits) as Record<string, unknown>, traitsAfter),
      fieldsAfter,
      traitsAfter,
    };
  }

  const patch = db.transaction((profileId: number, edit: ContactPatch) => {
    const { contactId, fields, traits } = applyPatch(profileId, edit, now());
    const hasFields = Object.keys(fields).length > 0;
    const hasTraits = Object.keys(traits).length > 0;
    if (!hasFields && !hasTraits) return;
    changes.record({
      type: 'contact.updated',
      profileId,
      contactId,
      data: { ...(hasFields ? { fields } : {}), ...(hasTraits ? { traits } : {}) },
    });
  });

  const create = db.transaction((input: NewContact): CreateResult => {
    const identifiers: [string, string][] = [];
    if (input.email !== undefined) identifiers.push(['email', normalizeEmail(input.email)]);
    if (input.userId !== undefined) identifiers.push(['user_id', input.userId]);
    for (const [type, value] of identifiers) {
      const owner = selectOwner.get(type, value);
      if (owner !== undefined) return { existingId: owner };
    }
    const at = now();
    // Seen when made: a later event's earlier timestamp lowers firstSeenAt, as for any profile.
    const contactId = newContactId(at);
    const id = Number(insertProfile.run(contactId, at, at, at, at, identifiers.length).lastInsertRowid);
    for (const [type, value] of identifiers) insertIdentifier.run(type, value, id, at);
    const { email: _email, userId: _userId, ...fields } = input;
    const made = applyPatch(id, fields, at);
    changes.record({
      type: 'contact.created',
      profileId: id,
      contactId,
      data: {
        identities: identifiers.map(([type, value]) => ({ type, value })),
        traits: made.traitsAfter,
        fields: made.fieldsAfter,
        companies: [],
      },
    });
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

/** The columns an edit (or an imported row) reads before it writes. */
export interface ProfileState {
  readonly public_id: string;
  readonly traits: string;
  readonly trait_stamps: string;
  readonly lifecycle_stage: string | null;
  readonly owner: string | null;
  readonly tags: string;
}

/** The fields people set, as the API names them. */
function crmFields(state: ProfileState): Record<string, unknown> {
  return { lifecycleStage: state.lifecycle_stage, owner: state.owner, tags: JSON.parse(state.tags) as unknown };
}
