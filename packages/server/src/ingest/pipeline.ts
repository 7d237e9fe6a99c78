import type { IngestChangeSink } from '../changes/change.js';
import type { Identifier } from '../identity/identity-rules.js';
import type { RecordingIdentityStore } from '../identity/recording-identity-store.js';
import type { InsertOutcome, NewEvent } from '../storage/event-store.js';

/**
 * What gates and steps may use inside the transaction that stores a batch: the storage engine
 * provides it (storage/sqlite/sqlite-event-store.ts), and every write a step makes through it
 * commits or rolls back with the events. Synchronous: SQLite's transactions may not wait.
 */
export interface IngestUnit {
  readonly identity: RecordingIdentityStore;
  readonly privacy: PrivacyLookup;
  readonly changes: IngestChangeSink;
}

/** The erasure tombstones and suppressions, by identifier (their keyed hashes are the engine's business). */
export interface PrivacyLookup {
  /** Whether any erasure, any suppression exists: while none does, no event needs a look-up. */
  hasAny(): { readonly erasures: boolean; readonly suppressions: boolean };
  erasedAt(identifier: Identifier): number | undefined;
  isSuppressed(identifier: Identifier): boolean;
}

/**
 * A check run for each event before it is stored: an event a gate refuses is acknowledged to the
 * client (it will not be sent again) but not stored, and no step sees it. Privacy is the first
 * (privacy/privacy-gate.ts: erased and suppressed identifiers).
 */
export interface IngestGate {
  readonly name: string;
  /** Called once per transaction, before its events: a gate may read what it needs once here. */
  begin(unit: IngestUnit): void;
  /** True to store the event. */
  admit(event: NewEvent, unit: IngestUnit): boolean;
}

/** What a step did for one event: the profile it attached the event to, if it did. */
export interface StepResult {
  readonly profileId?: number | undefined;
  readonly contactId?: string | undefined;
}

/**
 * A step run for each new event (duplicates never reach the steps), before its row is written, so
 * that the row is written once with what the steps found (its profile). Identity resolution
 * (identity/identity-step.ts) is the first.
 */
export interface IngestStep {
  readonly name: string;
  apply(event: NewEvent, unit: IngestUnit): StepResult;
}

/** One event of a committed batch and what became of it. */
export interface CommittedEvent {
  readonly event: NewEvent;
  readonly outcome: InsertOutcome;
  readonly contactId: string | undefined;
}

/** Runs once a batch has committed, outside its transaction: it may not fail the batch. */
export type AfterCommit = (committed: readonly CommittedEvent[]) => void;

export interface IngestPipeline {
  readonly gates: readonly IngestGate[];
  readonly steps: readonly IngestStep[];
  /** Calls each after-commit hook; a hook that throws is reported, and the others still run. */
  afterCommit(committed: readonly CommittedEvent[]): void;
  /**
   * Runs `work`, which runs the gates and steps synchronously, and answers with a function that takes
   * back what they counted: for an engine whose transaction may fail after them and be tried again
   * (PostgreSQL), so that a batch is counted once. Nothing else counts while `work` runs.
   */
  counting<T>(work: () => T): { readonly result: T; uncount(): void };
}

export interface IngestPipelineParts {
  readonly gates: readonly IngestGate[];
  readonly steps: readonly IngestStep[];
  readonly afterCommit?: readonly AfterCommit[];
  /** Told of an after-commit hook that threw (the server logs it). */
  readonly onHookError?: (error: unknown) => void;
  /** The counters (objects of numbers) the gates and steps add to, so that `counting` can take back an attempt's. */
  readonly counters?: readonly object[];
}

/** The one ingest pipeline: the server, the test app and the benchmarks all build it here. */
export function createIngestPipeline(parts: IngestPipelineParts): IngestPipeline {
  const hooks = parts.afterCommit ?? [];
  return {
    gates: parts.gates,
    steps: parts.steps,
    afterCommit(committed) {
      for (const hook of hooks) {
        try {
          hook(committed);
        } catch (error) {
          parts.onHookError?.(error);
        }
      }
    },
    counting(work) {
      const counters = (parts.counters ?? []) as Record<string, number>[];
      const before = counters.map((counter) => ({ ...counter }));
      const result = work();
      const counted = counters.map((counter, index) =>
        Object.entries(counter).map(([name, value]) => [name, value - (before[index]?.[name] ?? 0)] as const),
      );
      return {
        result,
        uncount() {
          for (const [index, counter] of counters.entries()) {
            for (const [name, added] of counted[index] ?? []) counter[name] = (counter[name] ?? 0) - added;
          }
        },
      };
    },
  };
}
