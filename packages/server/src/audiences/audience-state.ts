import type { ContactSnapshot } from './contact-values.js';
import type { HourCounts } from './hour-buckets.js';

/** A membership as stored. */
export interface Membership {
  readonly audienceId: string;
  readonly enteredAt: number;
  readonly isBackfill: boolean;
}

/**
 * What audience evaluation reads and writes, inside the transaction of the change that caused it
 * (storage/sqlite/audiences/sqlite-audience-state.ts). Synchronous, as the ingest unit is.
 */
export interface AudienceState {
  /** A live contact (not merged away, not erased); undefined otherwise. */
  readContact(profileId: number): ContactSnapshot | undefined;
  /** Hour counts of these metrics for the profile and every profile merged into it, one entry per row. */
  readHours(profileId: number, metricKeys: readonly string[]): Map<string, HourCounts[]>;
  /** The profile's own row of one metric (ingest adds to it). */
  readOwnHours(profileId: number, metricKey: string): HourCounts;
  writeOwnHours(profileId: number, metricKey: string, counts: HourCounts): void;
  memberships(profileId: number): Map<string, Membership>;
  enter(audienceId: string, profileId: number, at: number, isBackfill: boolean): void;
  exit(audienceId: string, profileId: number): void;
  /** When the profile must be evaluated again by the sweeper; null for never. */
  dueAt(profileId: number): number | null;
  setDue(profileId: number, at: number | null): void;
  /**
   * The profiles merged into this one leave every audience (and the sweeper's list): answers the
   * memberships removed.
   */
  leaveAbsorbed(profileId: number): { profileId: number; contactId: string; audienceId: string }[];
  /** Profiles the sweeper owes an evaluation, earliest first. */
  dueProfiles(now: number, limit: number): number[];
}
