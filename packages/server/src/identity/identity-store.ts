import type { Identifier } from './identity-rules.js';
import type { StampedValues } from './stamped-values.js';

/** A person as the resolver sees them. Times are epoch ms of event timestamps. */
export interface ProfileRecord {
  readonly id: number;
  firstSeenAt: number;
  lastSeenAt: number;
  eventCount: number;
  /** Profiles absorbed into this one, directly or through them. */
  mergeCount: number;
  identifierCount: number;
  traits: StampedValues;
}

/** A profile as it starts: seen once, nothing attached yet. */
export function newProfileRecord(id: number, seenAt: number): ProfileRecord {
  return { id, firstSeenAt: seenAt, lastSeenAt: seenAt, eventCount: 0, mergeCount: 0, identifierCount: 0, traits: {} };
}

export interface MergeRecord {
  readonly survivorId: number;
  readonly absorbedId: number;
  readonly messageId: string;
  /** When the merge happened (the event's receivedAt). */
  readonly at: number;
}

/**
 * The resolver's storage. Synchronous: it runs inside the transaction that stores the event
 * (better-sqlite3 transactions cannot await). Implementations: memory (tests) and SQLite; all run
 * the scenario suite in identity-scenarios.contract.ts.
 */
export interface IdentityStore {
  /** The live profile holding this identifier. */
  findProfileId(identifier: Identifier): number | undefined;
  getProfile(id: number): ProfileRecord;
  /** How many identifiers of each type the profile holds. */
  countIdentifiers(profileId: number): Map<string, number>;
  createProfile(seenAt: number): ProfileRecord;
  addIdentifier(profileId: number, identifier: Identifier, seenAt: number): void;
  /** Writes counters and traits back. */
  saveProfile(profile: ProfileRecord): void;
  /** Moves identifiers and companies to the survivor; the absorbed id then points at it for good. */
  absorbProfile(survivorId: number, absorbedId: number): void;
  recordMerge(merge: MergeRecord): void;
  /** Creates or updates a company by groupId, traits newest-wins, and links the profile to it. */
  linkCompany(profileId: number, groupId: string, traits: StampedValues, seenAt: number): void;
}
