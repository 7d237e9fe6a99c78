import { type NewChange, type ValueChanges, valueChanges } from '../changes/change.js';
import { normalizeEmail } from '../identity/read-identity-event.js';
import { mergeStamped, readStamped, writeStamped } from '../identity/stamped-values.js';
import type { ContactPatch, NewContact } from './contact-write-schemas.js';
import { manualMessageId, stampEdit } from './manual-edits.js';

/** The columns an edit (or an imported row) reads before it writes, as both engines keep them. */
export interface ProfileState {
  readonly public_id: string;
  readonly traits: string;
  readonly trait_stamps: string;
  readonly lifecycle_stage: string | null;
  readonly owner: string | null;
  readonly tags: string;
}

/** The fields people set, as the API names them. */
export interface CrmFields {
  readonly lifecycleStage: unknown;
  readonly owner: unknown;
  readonly tags: unknown;
}

/** What an edit writes and what it changed. */
export interface EditPlan {
  /** The traits to write (values and stamps, JSON), when the edit sets any. */
  readonly traits: { readonly values: string; readonly stamps: string } | undefined;
  /** The CRM columns the edit sets: a field it leaves out keeps its value, one sent as null is cleared. */
  readonly columns: {
    readonly lifecycleStage?: string | null;
    readonly owner?: string | null;
    readonly tags?: string;
  };
  readonly fieldsAfter: CrmFields;
  readonly traitsAfter: Record<string, unknown>;
  /** Old and new values of what changed, for the feed's contact.updated. */
  readonly changedFields: ValueChanges;
  readonly changedTraits: ValueChanges;
}

/**
 * An edit through identity's one newest-wins rule (stamped-values.ts), with messageId
 * `manual:<editId>` and a stamp no earlier than each trait's current one (stampEdit), so that the
 * edit wins now, a later event overrides it and a late-arriving older one does not. Pure: both
 * engines write what it answers.
 */
export function planEdit(before: ProfileState, patch: ContactPatch, at: number, editId: number): EditPlan {
  const traitsBefore = JSON.parse(before.traits) as Record<string, unknown>;
  let traits: EditPlan['traits'];
  let traitsAfter = traitsBefore;
  if (patch.traits) {
    const current = readStamped(before.traits, before.trait_stamps);
    traits = writeStamped(mergeStamped(current, stampEdit(patch.traits, current, at, manualMessageId(editId))));
    traitsAfter = JSON.parse(traits.values) as Record<string, unknown>;
  }
  const fieldsBefore = crmFields(before);
  const fieldsAfter: CrmFields = {
    lifecycleStage: patch.lifecycleStage === undefined ? fieldsBefore.lifecycleStage : patch.lifecycleStage,
    owner: patch.owner === undefined ? fieldsBefore.owner : patch.owner,
    tags: patch.tags === undefined ? fieldsBefore.tags : patch.tags,
  };
  return {
    traits,
    columns: {
      ...(patch.lifecycleStage === undefined ? {} : { lifecycleStage: patch.lifecycleStage }),
      ...(patch.owner === undefined ? {} : { owner: patch.owner }),
      ...(patch.tags === undefined ? {} : { tags: JSON.stringify(patch.tags) }),
    },
    fieldsAfter,
    traitsAfter,
    changedFields: valueChanges({ ...fieldsBefore }, { ...fieldsAfter }),
    changedTraits: valueChanges(traitsBefore, traitsAfter),
  };
}

function crmFields(state: ProfileState): CrmFields {
  return { lifecycleStage: state.lifecycle_stage, owner: state.owner, tags: JSON.parse(state.tags) as unknown };
}

/** The feed's record of an edit: undefined when it changed nothing. */
export function editedChange(profileId: number, contactId: string, plan: EditPlan): NewChange | undefined {
  const hasFields = Object.keys(plan.changedFields).length > 0;
  const hasTraits = Object.keys(plan.changedTraits).length > 0;
  if (!hasFields && !hasTraits) return undefined;
  return {
    type: 'contact.updated',
    profileId,
    contactId,
    data: {
      ...(hasFields ? { fields: plan.changedFields } : {}),
      ...(hasTraits ? { traits: plan.changedTraits } : {}),
    },
  };
}

/** The feed's record of a contact made by hand, with the identifiers it was made with. */
export function createdChange(
  profileId: number,
  contactId: string,
  identities: readonly { readonly type: string; readonly value: string }[],
  plan: EditPlan,
): NewChange {
  return {
    type: 'contact.created',
    profileId,
    contactId,
    data: { identities, traits: plan.traitsAfter, fields: plan.fieldsAfter, companies: [] },
  };
}

/** The identifiers a contact made by hand is made with, in the order they are looked up. */
export function newContactIdentifiers(input: NewContact): { type: string; value: string }[] {
  const identifiers: { type: string; value: string }[] = [];
  if (input.email !== undefined) identifiers.push({ type: 'email', value: normalizeEmail(input.email) });
  if (input.userId !== undefined) identifiers.push({ type: 'user_id', value: input.userId });
  return identifiers;
}

/** The CRM columns of a profile. */
export interface CrmRow {
  readonly lifecycle_stage: string | null;
  readonly owner: string | null;
  readonly tags: string;
}

/**
 * What an admin's merge does to the CRM fields: the primary keeps its own, takes those it lacks
 * from the secondary, and the tags are the union of both (the primary's first, at most 50, as an
 * edit may set). Answers the columns to write and what changed on the primary.
 */
export function planCrmMerge(
  primary: CrmRow,
  secondary: CrmRow,
): {
  readonly lifecycleStage: string | null;
  readonly owner: string | null;
  readonly tags: string;
  readonly changed: ValueChanges;
} {
  const tags = [...new Set([...parseTags(primary.tags), ...parseTags(secondary.tags)])].slice(0, 50);
  const after = {
    lifecycleStage: primary.lifecycle_stage ?? secondary.lifecycle_stage,
    owner: primary.owner ?? secondary.owner,
    tags,
  };
  const before = { lifecycleStage: primary.lifecycle_stage, owner: primary.owner, tags: parseTags(primary.tags) };
  return {
    lifecycleStage: after.lifecycleStage,
    owner: after.owner,
    tags: JSON.stringify(tags),
    changed: valueChanges(before, after),
  };
}

/** The feed's record of the CRM fields a merge changed on the primary: undefined when none. */
export function mergedFieldsChange(profileId: number, contactId: string, changed: ValueChanges): NewChange | undefined {
  if (Object.keys(changed).length === 0) return undefined;
  return { type: 'contact.updated', profileId, contactId, data: { fields: changed } };
}

function parseTags(json: string): string[] {
  const tags: unknown = JSON.parse(json);
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}
