import type { ContactSnapshot } from '../../../audiences/contact-values.js';
import type { IdentityStore } from '../../../identity/identity-store.js';
import { valuesOf } from '../../../identity/stamped-values.js';
import { displayedEmail, displayedName, type EmailIdentifier, earlierEmail } from '../../contact-keys.js';
import { type IdentityWrites, NotReadAheadError } from '../ingest/identity-working-set.js';
import type { ContactSource } from './audience-working-set.js';

/** What a contact snapshot needs that identity's read-ahead does not keep. */
export interface ContactExtras {
  readonly lifecycleStage: string | null;
  readonly owner: string | null;
  readonly tags: unknown;
  readonly createdAt: number;
  /** Its earliest email identifier: what its displayed email falls back to. */
  readonly earliestEmail: EmailIdentifier | null;
}

/**
 * Ingest's contacts as audiences read them, mid-batch: identity's working set wrapped so that the
 * email identifiers it adds and the merges it makes are followed, and each contact's snapshot made
 * from its profile as resolved so far. Its displayed email and name follow contacts/contact-keys.ts,
 * the rule the database's triggers apply when the batch is written.
 */
export function trackIngestContacts(
  identity: IdentityStore & { readonly writes: IdentityWrites },
  extrasAhead: ReadonlyMap<number, ContactExtras>,
): { readonly identity: IdentityStore; readonly contacts: ContactSource } {
  const extras = new Map(extrasAhead);
  const survivors = new Map<number, number>();
  const extrasOf = (profileId: number) => {
    const found = extras.get(profileId);
    if (!found) throw new NotReadAheadError(`contact fields for profile ${profileId}`);
    return found;
  };
  const withEmail = (profileId: number, email: EmailIdentifier | null) => {
    const before = extrasOf(profileId);
    const earliestEmail = earlierEmail(before.earliestEmail, email);
    if (earliestEmail !== before.earliestEmail) extras.set(profileId, { ...before, earliestEmail });
  };

  const tracked: IdentityStore = {
    findProfileId: (identifier) => identity.findProfileId(identifier),
    getProfile: (id) => identity.getProfile(id),
    countIdentifiers: (profileId) => identity.countIdentifiers(profileId),
    createProfile(seenAt) {
      const profile = identity.createProfile(seenAt);
      const createdAt = identity.writes.created.get(profile.id) as number;
      extras.set(profile.id, { lifecycleStage: null, owner: null, tags: [], createdAt, earliestEmail: null });
      return profile;
    },
    addIdentifier(profileId, identifier, seenAt) {
      identity.addIdentifier(profileId, identifier, seenAt);
      if (identifier.type === 'email') withEmail(profileId, { value: identifier.value, firstSeenAt: seenAt });
    },
    saveProfile: (profile) => identity.saveProfile(profile),
    absorbProfile(survivorId, absorbedId) {
      identity.absorbProfile(survivorId, absorbedId);
      for (const [id, survivor] of survivors) if (survivor === absorbedId) survivors.set(id, survivorId);
      survivors.set(absorbedId, survivorId);
      withEmail(survivorId, extrasOf(absorbedId).earliestEmail);
    },
    recordMerge: (merge) => identity.recordMerge(merge),
    linkCompany: (profileId, groupId, traits, seenAt) => identity.linkCompany(profileId, groupId, traits, seenAt),
  };

  const contacts: ContactSource = {
    snapshot(profileId): ContactSnapshot | undefined {
      if (survivors.has(profileId)) return undefined;
      const profile = identity.getProfile(profileId);
      const extra = extrasOf(profileId);
      const traits = valuesOf(profile.traits);
      const email = displayedEmail(traits, extra.earliestEmail);
      const name = displayedName(traits);
      return {
        profileId,
        contactId: profile.contactId,
        traits,
        fields: {
          email: email === '' ? null : email,
          name: name === '' ? null : name,
          lifecycleStage: extra.lifecycleStage,
          owner: extra.owner,
          tags: extra.tags,
          firstSeenAt: profile.firstSeenAt,
          lastSeenAt: profile.lastSeenAt,
          eventCount: profile.eventCount,
          createdAt: extra.createdAt,
        },
      };
    },
    survivorOf: (profileId) => survivors.get(profileId),
    contactIdOf: (profileId) => identity.getProfile(profileId).contactId,
  };
  return { identity: tracked, contacts };
}
