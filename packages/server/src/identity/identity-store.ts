import type { Identifier } from './identity-rules.js';
import type { StampedValues } from './stamped-values.js';

/** A person as the resolver sees them. Times are epoch ms of event timestamps. */
export interface ProfileRecord {
  readonly id: number;
  /** The id the API shows (contact-id.ts). */
  readonly contactId: string;
  firstSeenAt: number;
  lastSeenAt: number;
  eventCount: number;
  /** Profiles absorbed into this one, directly or through them. */
  mergeCount: number;
  identifierCount: number;
  traits: StampedValues;
}

/** A profile as it starts: seen once, nothing attached yet. */
export function newProfileRecord(id: number, contactId: string, seenAt: number): ProfileRecord {
  return {
    id,
    contactId,
    firstSeenAt: seenAt,
    lastSeenAt: seenAt,
    eventCount: 0,
    mergeCount: 0,
    identifierCount: 0,
    traits: {},
  };
}

/** What linking a profile to a company did. */
export interface CompanyLink {
  /** The company did not exist before. */
  readonly isNewCompany: boolean;
  /** The profile was not linked to it before. */
  readonly isNewLink: boolean;
  /** The company's traits before and after (plain values). */
  readonly traitsBefore: Record<string, unknown>;
  readonly traitsAfter: Record<string, unknown>;
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
  linkCompany(profileId: number, groupId: string, traits: StampedValues, seenAt: number): CompanyLink;
}
