import type { AudiencePhase } from './audience-set.js';

/** An audience as the API shows it. */
export interface AudienceRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** The rule as its author sent it (docs/audiences.md). */
  readonly rule: unknown;
  readonly phase: AudiencePhase;
  /** Backfill progress: stored events counted (backfilling) or contacts evaluated (evaluating), of total. */
  readonly progress: { readonly processed: number; readonly total: number };
  readonly memberCount: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AudienceInput {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly rule: unknown;
}

/** A member: its profile (for the contacts view) and when it entered. */
export interface MemberRow {
  readonly profileId: number;
  readonly enteredAt: number;
  readonly isBackfill: boolean;
}

/** A contact's audiences, with when it entered each. */
export interface ContactAudience {
  readonly id: string;
  readonly name: string;
  readonly enteredAt: number;
  readonly isBackfill: boolean;
}

export interface PreviewResult {
  readonly size: number;
  /** Up to ten members' profile ids. */
  readonly sample: readonly number[];
}

/**
 * Audience definitions and membership, engine-neutral. A definition that cannot be used throws
 * RuleProblem (audiences/parse-rule.ts) naming the field. Saving a definition fixes the high-water
 * mark its backfill covers; `backfillStep` and `sweepStep` do bounded work and answer whether more
 * is left, so that the caller runs them between requests (audience-worker.ts).
 */
export interface AudienceStore {
  list(): Promise<AudienceRecord[]>;
  /** Ids, names and phases alone, in the list's order: what a picker or a list page needs, without list()'s progress counts. */
  summaries(): Promise<{ readonly id: string; readonly name: string; readonly phase: AudiencePhase }[]>;
  get(id: string): Promise<AudienceRecord | undefined>;
  create(input: AudienceInput): Promise<AudienceRecord>;
  /** Undefined when there is no such audience. Changing the rule backfills again and emits the difference. */
  update(id: string, input: Partial<AudienceInput>): Promise<AudienceRecord | undefined>;
  /** False when there is no such audience; refused (RuleProblem) while another audience names it. */
  remove(id: string): Promise<boolean>;
  /** Members after profile id `after`, ascending. */
  members(id: string, after: number, limit: number): Promise<MemberRow[]>;
  audiencesOf(profileId: number): Promise<ContactAudience[]>;
  /** Evaluates a rule over every live contact from stored events, saving nothing. */
  preview(rule: unknown): Promise<PreviewResult>;
  /** Evaluates up to `limit` contacts whose time-based answers are due; answers how many it evaluated. */
  sweepStep(limit: number): Promise<number>;
  /** When the next contact falls due; null when none will. */
  nextDueAt(): Promise<number | null>;
  /** Counts up to `maxEvents` stored events into new metrics, or evaluates a slice of contacts; false once nothing is left. */
  backfillStep(maxEvents: number): Promise<boolean>;
  memberCounts(): Promise<Map<string, number>>;
}
