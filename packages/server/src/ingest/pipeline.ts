import type { NewEvent } from '../storage/event-store.js';

/**
 * A step run for each newly stored event, inside the transaction that stores it, so that its
 * writes commit or roll back with the event. Later issues plug in here (identity resolution,
 * audience membership); duplicates never reach the steps. The identity resolver
 * (identity/identity-step.ts) is the first.
 */
export interface IngestStep {
  readonly name: string;
  apply(event: NewEvent): void;
}
