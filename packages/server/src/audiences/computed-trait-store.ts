import type { AudiencePhase } from './audience-set.js';

/** A computed trait as the API shows it. */
export interface ComputedTraitRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** The calculation as its author sent it (docs/audiences.md). */
  readonly calculation: unknown;
  readonly phase: AudiencePhase;
  /** Backfill progress: stored events counted (backfilling) or contacts worked out (evaluating), of total. */
  readonly progress: { readonly processed: number; readonly total: number };
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ComputedTraitInput {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly calculation: unknown;
}

/**
 * Computed trait definitions, engine-neutral; a definition that cannot be used throws RuleProblem
 * (audiences/parse-rule.ts) naming the field. Their backfill runs with the audiences'
 * (AudienceStore.backfillStep).
 */
export interface ComputedTraitStore {
  list(): Promise<ComputedTraitRecord[]>;
  get(id: string): Promise<ComputedTraitRecord | undefined>;
  create(input: ComputedTraitInput): Promise<ComputedTraitRecord>;
  /** Undefined when there is no such trait. A name cannot change (rules and search name it). */
  update(
    id: string,
    input: Partial<Pick<ComputedTraitInput, 'description' | 'calculation'>>,
  ): Promise<ComputedTraitRecord | undefined>;
  /** False when there is no such trait; refused (RuleProblem) while an audience names it. */
  remove(id: string): Promise<boolean>;
  /** A contact's computed values, every defined trait's (its value with no events when it has none). */
  valuesOf(profileId: number): Promise<Record<string, unknown>>;
}
