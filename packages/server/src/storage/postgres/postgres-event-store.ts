import type { PoolClient } from 'pg';
import { createAudienceEngine } from '../../audiences/audience-engine.js';
import type { AudienceSet } from '../../audiences/audience-set.js';
import type { IngestChangeSink, NewChange } from '../../changes/change.js';
import type { IdentityRules } from '../../identity/identity-rules.js';
import type { IdentityStore } from '../../identity/identity-store.js';
import { createRecordingIdentityStore } from '../../identity/recording-identity-store.js';
import { runIngestBatch } from '../../ingest/ingest-batch.js';
import type { CommittedEvent, IngestPipeline } from '../../ingest/pipeline.js';
import type { EventStore, InsertOutcome } from '../event-store.js';
import type { IdentifierHasher } from '../identifier-hasher.js';
import { type AudienceWrites, createAudienceWorkingSet } from './audiences/audience-working-set.js';
import { trackIngestContacts } from './audiences/ingest-contacts.js';
import { hasDefinitions } from './audiences/postgres-audience-evaluation.js';
import type { PostgresAudienceRegistry } from './audiences/postgres-audience-registry.js';
import { readIngestAudiences, writeAudiences } from './audiences/postgres-audience-rows.js';
import { createIdentityWorkingSet } from './ingest/identity-working-set.js';
import { sliceByLockBudget } from './ingest/lock-budget.js';
import {
  ingestLockNames,
  type ReadEvent,
  readEvents,
  readIngestAhead,
  StaleReadAheadError,
  storedKey,
} from './ingest/postgres-ingest-reads.js';
import { type EventRow, writeIngest } from './ingest/postgres-ingest-writes.js';
import { appendChanges } from './postgres-change-feed.js';
import { inTransaction, type PostgresPool } from './postgres-pool.js';

export interface PostgresEventStoreOptions {
  readonly pipeline: IngestPipeline;
  /** The rules the pipeline's identity step follows: the read-ahead reads what they may look up. */
  readonly rules: IdentityRules;
  readonly hash: IdentifierHasher;
  readonly now: () => number;
  /** The audience definitions: each batch counts and evaluates them (audiences/audience-engine.ts). */
  readonly audiences: PostgresAudienceRegistry;
  /**
   * Off only to measure the other way (bench:pg-ingest): no advisory locks, the unique indexes and
   * retries alone. Not correct for companies, whose rows nothing else keeps two servers from writing.
   */
  readonly isLockingAhead?: boolean;
  /** How many times a batch is tried when it meets another server's (deadlock, a merge meanwhile). */
  readonly maxAttempts?: number;
  /** Told of each batch tried again, and why (for metrics; a benchmark counts them). */
  readonly onRetry?: (error: unknown) => void;
  /**
   * The most advisory locks one transaction takes (ingest/lock-budget.ts): a larger batch runs as
   * several transactions in turn. Every server's ingest transactions at once must fit PostgreSQL's
   * lock table with room to spare (docs/scaling.md).
   */
  readonly maxLocksPerTransaction?: number;
}

/** About 330 events of two or three locks each: well inside a default lock table (64 × 100). */
export const DEFAULT_MAX_LOCKS_PER_TRANSACTION = 1000;

/**
 * EventStore on PostgreSQL. A batch is one transaction in three phases: read ahead, locking what its
 * events may touch (postgres-ingest-reads.ts); run the same pipeline as SQLite
 * (ingest/ingest-batch.ts) synchronously over what was read (identity-working-set.ts); write it
 * back in a few statements (postgres-ingest-writes.ts) and append its changes to the feed. The locks
 * make several servers on one database resolve one person to one contact; a batch that meets
 * another's anyway (a deadlock, a profile merged meanwhile, a unique index) is tried again.
 * When audiences or computed traits are defined, the batch's changes go through the audience
 * engine as on SQLite, over the audience records of the profiles read ahead
 * (audiences/audience-working-set.ts), written back with the rest.
 */
export function createPostgresEventStore(pool: PostgresPool, options: PostgresEventStoreOptions): EventStore {
  const { pipeline, now } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxLocks = options.maxLocksPerTransaction ?? DEFAULT_MAX_LOCKS_PER_TRANSACTION;

  async function attempt(batch: readonly ReadEvent[]): Promise<CommittedEvent[]> {
    // What the pipeline counted (merges, discards…) is taken back when the transaction fails after
    // it ran: the batch is tried again, and counts again.
    let uncount = () => {};
    try {
      return await inTransaction(pool, async (client) => {
        const set = await options.audiences.enter(client);
        const ahead = await readIngestAhead(client, batch, options);
        const identity = createIdentityWorkingSet(ahead.identity, now);
        const changes: NewChange[] = [];
        const collect: IngestChangeSink = {
          record: (change) => changes.push(change),
          beginUnit() {},
          beginEvent() {},
          endUnit() {},
        };
        const evaluating = hasDefinitions(set)
          ? await evaluatingAudiences(client, set, identity, [...ahead.identity.profiles.keys()], collect)
          : { identity, sink: collect, writes: undefined };
        const unit = {
          identity: createRecordingIdentityStore(evaluating.identity, evaluating.sink),
          privacy: ahead.privacy,
          changes: evaluating.sink,
        };
        const stored = new Set(ahead.stored);
        const rows: EventRow[] = [];
        const run = pipeline.counting(() =>
          runIngestBatch(
            batch.map((entry) => entry.event),
            pipeline,
            unit,
            {
              isStored: (event) => stored.has(storedKey(event)),
              writeEvent(event, profileId) {
                stored.add(storedKey(event));
                rows.push({ event, profileId });
              },
            },
          ),
        );
        uncount = run.uncount;
        const at = now();
        await writeIngest(client, identity.writes, rows, at);
        if (evaluating.writes) await writeAudiences(client, evaluating.writes);
        await appendChanges(client, changes, at);
        return run.result;
      });
    } catch (error) {
      uncount();
      throw error;
    }
  }

  /** Identity's working set tracked for audiences, and the engine's sink over `collect`. */
  async function evaluatingAudiences(
    client: PoolClient,
    set: AudienceSet,
    identity: ReturnType<typeof createIdentityWorkingSet>,
    profileIds: readonly number[],
    collect: IngestChangeSink,
  ): Promise<{ identity: IdentityStore; sink: IngestChangeSink; writes: AudienceWrites }> {
    const ahead = await readIngestAudiences(client, profileIds);
    const tracked = trackIngestContacts(identity, ahead.extras);
    const audiences = createAudienceWorkingSet(ahead, tracked.contacts);
    const engine = createAudienceEngine({ state: audiences.state, audiences: () => set, now });
    return { identity: tracked.identity, sink: engine.ingestSink(collect), writes: audiences.writes };
  }

  async function insertSlice(batch: readonly ReadEvent[]): Promise<InsertOutcome[]> {
    for (let tried = 1; ; tried++) {
      try {
        const committed = await attempt(batch);
        pipeline.afterCommit(committed);
        return committed.map((entry) => entry.outcome);
      } catch (error) {
        if (tried >= maxAttempts || !isWorthRetrying(error)) throw error;
        options.onRetry?.(error);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * tried));
      }
    }
  }

  return {
    async insertEvents(events) {
      // A slice that fails fails the batch; the slices committed before it stay stored, and the
      // sender's retry finds their events already there.
      const outcomes: InsertOutcome[] = [];
      for (const slice of sliceByLockBudget(readEvents(events, options.rules), ingestLockNames, maxLocks)) {
        outcomes.push(...(await insertSlice(slice)));
      }
      return outcomes;
    },
    async ping() {
      try {
        return (await pool.query('SELECT 1')).rowCount === 1;
      } catch {
        return false;
      }
    },
    async sizeBytes() {
      const { rows } = await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      return Number(rows[0]?.bytes ?? 0);
    },
    close: () => pool.end(),
  };
}

// deadlock_detected, serialization_failure, unique_violation (the indexes behind the locks).
const retriedCodes = new Set(['40P01', '40001', '23505']);

function isWorthRetrying(error: unknown): boolean {
  if (error instanceof StaleReadAheadError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retriedCodes.has(code);
}
