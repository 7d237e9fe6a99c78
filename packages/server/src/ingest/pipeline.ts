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

/**
 * A check run for each event before it is stored, inside the same transaction: an event a gate
 * refuses is acknowledged to the client (it will not be sent again) but not stored, and no step
 * sees it. Privacy is the first (privacy/privacy-gate.ts: erased and suppressed identifiers).
 */
export interface IngestGate {
  readonly name: string;
  /** Called once per transaction, before its events: a gate may read what it needs once here. */
  begin(): void;
  /** True to store the event. */
  admit(event: NewEvent): boolean;
}
