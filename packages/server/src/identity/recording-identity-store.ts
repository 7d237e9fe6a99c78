import { type ChangeSink, valueChanges } from '../changes/change.js';
import type { Identifier } from './identity-rules.js';
import type { IdentityStore, ProfileRecord } from './identity-store.js';
import { valuesOf } from './stamped-values.js';

/** An IdentityStore that also tells the change feed what the resolver did. */
export interface RecordingIdentityStore extends IdentityStore {
  /** Records, in order, the changes since the last flush (one event's, or one admin merge's). */
  flush(): void;
}

interface Pending {
  contactId: string;
  isCreated: boolean;
  /** Plain trait values when this scope first saw the profile (none for a new one). */
  readonly traitsBefore: Record<string, unknown>;
  traitsAfter: Record<string, unknown>;
  readonly identifiers: Identifier[];
  readonly companies: string[];
  readonly absorbed: string[];
  isAbsorbed: boolean;
}

/**
 * Wraps the resolver's store so that every contact change it makes reaches the change feed, in the
 * same transaction, without the resolver knowing of the feed. Within one scope (an event) the
 * changes of a profile are gathered and written at flush: a new contact is one contact.created with
 * its identities, traits and companies, not a created followed by updates; an existing one gets a
 * contact.merged (what it absorbed), a contact.identified (the ids it gained) and a contact.updated
 * (its traits' old and new values, the companies it joined), each only when there is something to say.
 * lastSeenAt and eventCount change on every event and are left out on purpose.
 */
export function createRecordingIdentityStore(inner: IdentityStore, sink: ChangeSink): RecordingIdentityStore {
  const pending = new Map<number, Pending>();

  function seen(profile: ProfileRecord, isCreated = false): Pending {
    let entry = pending.get(profile.id);
    if (!entry) {
      const traits = isCreated ? {} : valuesOf(profile.traits);
      entry = {
        contactId: profile.contactId,
        isCreated,
        traitsBefore: traits,
        traitsAfter: traits,
        identifiers: [],
        companies: [],
        absorbed: [],
        isAbsorbed: false,
      };
      pending.set(profile.id, entry);
    }
    return entry;
  }
  const entryOf = (profileId: number) => pending.get(profileId) ?? seen(inner.getProfile(profileId));

  function flushOne(profileId: number, entry: Pending): void {
    const base = { profileId, contactId: entry.contactId };
    if (entry.isAbsorbed) return;
    if (entry.isCreated) {
      sink.record({
        ...base,
        type: 'contact.created',
        data: { identities: entry.identifiers, traits: entry.traitsAfter, companies: entry.companies },
      });
      return;
    }
    if (entry.absorbed.length > 0) {
      sink.record({ ...base, type: 'contact.merged', data: { absorbed: entry.absorbed } });
    }
    if (entry.identifiers.length > 0) {
      sink.record({ ...base, type: 'contact.identified', data: { identities: entry.identifiers } });
    }
    const traits = valueChanges(entry.traitsBefore, entry.traitsAfter);
    const hasTraits = Object.keys(traits).length > 0;
    if (hasTraits || entry.companies.length > 0) {
      sink.record({
        ...base,
        type: 'contact.updated',
        data: {
          ...(hasTraits ? { traits } : {}),
          ...(entry.companies.length > 0 ? { companies: { added: entry.companies } } : {}),
        },
      });
    }
  }

  return {
    findProfileId: (identifier) => inner.findProfileId(identifier),
    getProfile(id) {
      const profile = inner.getProfile(id);
      seen(profile);
      return profile;
    },
    countIdentifiers: (profileId) => inner.countIdentifiers(profileId),
    createProfile(seenAt) {
      const profile = inner.createProfile(seenAt);
      seen(profile, true);
      return profile;
    },
    addIdentifier(profileId, identifier, seenAt) {
      inner.addIdentifier(profileId, identifier, seenAt);
      entryOf(profileId).identifiers.push(identifier);
    },
    saveProfile(profile) {
      inner.saveProfile(profile);
      seen(profile).traitsAfter = valuesOf(profile.traits);
    },
    absorbProfile(survivorId, absorbedId) {
      const absorbed = entryOf(absorbedId);
      inner.absorbProfile(survivorId, absorbedId);
      absorbed.isAbsorbed = true;
      entryOf(survivorId).absorbed.push(absorbed.contactId);
    },
    recordMerge: (merge) => inner.recordMerge(merge),
    linkCompany(profileId, groupId, traits, seenAt) {
      const link = inner.linkCompany(profileId, groupId, traits, seenAt);
      if (link.isNewLink) entryOf(profileId).companies.push(groupId);
      const companyTraits = valueChanges(link.traitsBefore, link.traitsAfter);
      if (link.isNewCompany || Object.keys(companyTraits).length > 0) {
        sink.record({
          type: 'company.updated',
          profileId: null,
          contactId: null,
          data: { groupId, isNew: link.isNewCompany, traits: companyTraits },
        });
      }
      return link;
    },
    flush() {
      for (const [profileId, entry] of pending) flushOne(profileId, entry);
      pending.clear();
    },
  };
}
