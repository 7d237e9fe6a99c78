import type { ContactSnapshot } from './contact-values.js';
import type { HourStates } from './hour-buckets.js';

/** What audiences keep per contact: one record, read and written once per evaluation. */
export interface AudienceProfile {
  /**
   * Per metric key, the hour counts (or a computed trait's hour states) of the contact and of every
   * contact merged into it.
   */
  readonly hours: Record<string, HourStates>;
  /** The audiences it is in: audience id → [entered at, entered by a backfill]. */
  readonly members: Record<string, readonly [enteredAt: number, isBackfill: boolean]>;
  /**
   * Its computed traits' values, by name; a value a trait has with no events (0 for count, sum and
   * uniqueCount, null otherwise) is left out.
   */
  readonly computed: Record<string, unknown>;
  /** When time alone next changes one of its answers; null for never. */
  readonly dueAt: number | null;
  /** The contact's lastSeenAt when the record was last written; null before the first write. */
  readonly seenAt: number | null;
}

export const emptyAudienceProfile: AudienceProfile = {
  hours: {},
  members: {},
  computed: {},
  dueAt: null,
  seenAt: null,
};

/** A contact absorbed by a merge, with what audiences kept for it. */
export interface AbsorbedProfile {
  readonly profileId: number;
  readonly contactId: string;
  readonly profile: AudienceProfile;
}

/**
 * What audience evaluation reads and writes, inside the transaction of the change that caused it
 * (storage/sqlite/audiences/sqlite-audience-state.ts). Synchronous, as the ingest unit is.
 */
export interface AudienceState {
  /** A live contact (not merged away, not erased) and its record; undefined otherwise. */
  read(profileId: number): { contact: ContactSnapshot; profile: AudienceProfile } | undefined;
  /** The record alone (counting events needs no contact). */
  readProfile(profileId: number): AudienceProfile;
  write(profileId: number, profile: AudienceProfile): void;
  /** The audience → members listing (GET /v1/audiences/{id}/members reads it). */
  enter(audienceId: string, profileId: number, at: number, isBackfill: boolean): void;
  exit(audienceId: string, profileId: number): void;
  /**
   * The records of the profiles merged into this one since it was last evaluated: taken away (the
   * survivor's record absorbs their counts), and their memberships with them.
   */
  takeAbsorbed(profileId: number): AbsorbedProfile[];
  /** Profiles the sweeper owes an evaluation, earliest first. */
  dueProfiles(now: number, limit: number): number[];
  /** The earliest due time of any contact; null when none is due ever. */
  nextDueAt(): number | null;
}
