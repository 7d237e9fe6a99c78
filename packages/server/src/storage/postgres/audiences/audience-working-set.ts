import {
  type AbsorbedProfile,
  type AudienceProfile,
  type AudienceState,
  emptyAudienceProfile,
} from '../../../audiences/audience-state.js';
import type { ContactSnapshot } from '../../../audiences/contact-values.js';

/** Where the working set reads contacts: what ingest's identity made of them so far, or rows as read. */
export interface ContactSource {
  /** The live contact now; undefined when it was merged away. Throws for one that was not read ahead. */
  snapshot(profileId: number): ContactSnapshot | undefined;
  /** The live profile `profileId` was merged into (directly or through others); undefined while it is live. */
  survivorOf(profileId: number): number | undefined;
  /** The id the API shows for a profile read ahead, live or merged away. */
  contactIdOf(profileId: number): string;
}

/** An audience record read ahead for a profile merged into one being worked on, left from before. */
export interface LeftoverRecord {
  readonly profileId: number;
  readonly contactId: string;
  readonly mergedInto: number;
  readonly profile: AudienceProfile;
}

/** What the audience state read ahead: the records of the profiles it may evaluate, and leftovers. */
export interface AudienceReadAhead {
  /** By profile id; a profile read ahead with no record is absent. */
  readonly records: ReadonlyMap<number, AudienceProfile>;
  readonly leftovers: readonly LeftoverRecord[];
}

/** What evaluation wrote, saved in one statement (postgres-audience-reads.ts writeAudiences). */
export interface AudienceWrites {
  /** Records written, by profile id. */
  readonly records: Map<number, AudienceProfile>;
  /** Profiles whose record and memberships are gone (absorbed by a merge). */
  readonly removed: Set<number>;
  /** Memberships entered, by `audienceId\0profileId`. */
  readonly entered: Map<string, { audienceId: string; profileId: number; at: number; isBackfill: boolean }>;
  /** Memberships left, by the same key. */
  readonly exited: Map<string, { audienceId: string; profileId: number }>;
}

const memberKey = (audienceId: string, profileId: number) => `${audienceId}\u0000${profileId}`;

/**
 * The engine's AudienceState (audiences/audience-state.ts) over what was read ahead, under the row
 * locks of the profiles it covers: synchronous, as the engine is, and gathering its writes for one
 * statement afterwards. Used by ingest, sweeps, backfills and admin writes on PostgreSQL alike.
 */
export function createAudienceWorkingSet(
  ahead: AudienceReadAhead,
  contacts: ContactSource,
): { readonly state: AudienceState; readonly writes: AudienceWrites } {
  const records = new Map(ahead.records);
  const leftoverIds = new Map<number, string>();
  const survivorOfLeftover = new Map<number, number>();
  for (const leftover of ahead.leftovers) {
    records.set(leftover.profileId, leftover.profile);
    leftoverIds.set(leftover.profileId, leftover.contactId);
    survivorOfLeftover.set(leftover.profileId, leftover.mergedInto);
  }
  const writes: AudienceWrites = { records: new Map(), removed: new Set(), entered: new Map(), exited: new Map() };
  // A leftover leads to the profile it was merged into, and on through this batch's merges of that one.
  const survivorOf = (profileId: number) => {
    const merged = contacts.survivorOf(profileId);
    if (merged !== undefined) return merged;
    const leftoverOf = survivorOfLeftover.get(profileId);
    return leftoverOf === undefined ? undefined : (contacts.survivorOf(leftoverOf) ?? leftoverOf);
  };

  const state: AudienceState = {
    read(profileId) {
      const contact = contacts.snapshot(profileId);
      if (!contact) return undefined;
      return { contact, profile: records.get(profileId) ?? emptyAudienceProfile };
    },
    readProfile: (profileId) => records.get(profileId) ?? emptyAudienceProfile,
    write(profileId, profile) {
      records.set(profileId, profile);
      writes.records.set(profileId, profile);
    },
    enter(audienceId, profileId, at, isBackfill) {
      const key = memberKey(audienceId, profileId);
      writes.exited.delete(key);
      writes.entered.set(key, { audienceId, profileId, at, isBackfill });
    },
    exit(audienceId, profileId) {
      const key = memberKey(audienceId, profileId);
      writes.entered.delete(key);
      writes.exited.set(key, { audienceId, profileId });
    },
    takeAbsorbed(profileId) {
      const taken: AbsorbedProfile[] = [];
      for (const [id, profile] of records) {
        if (id === profileId || survivorOf(id) !== profileId) continue;
        records.delete(id);
        writes.records.delete(id);
        writes.removed.add(id);
        for (const [key, entry] of writes.entered) if (entry.profileId === id) writes.entered.delete(key);
        const contactId = leftoverIds.get(id) ?? contacts.contactIdOf(id);
        taken.push({ profileId: id, contactId, profile });
      }
      return taken;
    },
    dueProfiles() {
      throw new Error('a working set does not list due profiles: the sweep reads them (postgres-audience-store.ts)');
    },
    nextDueAt() {
      throw new Error('a working set does not know due times: the store reads them (postgres-audience-store.ts)');
    },
  };
  return { state, writes };
}
