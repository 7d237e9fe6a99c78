import type pg from 'pg';
import { type AudienceEngine, createAudienceEngine } from '../../../audiences/audience-engine.js';
import type { AudienceSet } from '../../../audiences/audience-set.js';
import type { AudienceState } from '../../../audiences/audience-state.js';
import type { ChangeSink, NewChange } from '../../../changes/change.js';
import { appendChanges } from '../postgres-change-feed.js';
import { createAudienceWorkingSet } from './audience-working-set.js';
import { readAudienceContacts, writeAudiences } from './postgres-audience-rows.js';

/** What work over some contacts' audience state gets: the engine, its state, and the sink for its changes. */
export interface AudienceWork {
  readonly engine: AudienceEngine;
  readonly state: AudienceState;
  readonly sink: ChangeSink;
  /** The profiles of those asked for that are live (not merged away, not erased), ascending. */
  readonly live: readonly number[];
}

/**
 * Runs `work` over these profiles' audience state, in the caller's transaction (which holds the
 * definitions' lock, postgres-audience-registry.ts): their rows are locked as ingest locks them, their
 * records read, the engine run synchronously, and what it wrote and recorded saved before the
 * caller commits. Sweeps, backfills and admin writes go through here.
 */
export async function withAudienceWork<T>(
  client: pg.PoolClient,
  set: AudienceSet,
  profileIds: readonly number[],
  now: () => number,
  work: (context: AudienceWork) => T,
): Promise<T> {
  const ahead = await readAudienceContacts(client, profileIds, { lock: true });
  const { state, writes } = createAudienceWorkingSet(ahead, ahead.contacts);
  const engine = createAudienceEngine({ state, audiences: () => set, now });
  const changes: NewChange[] = [];
  const sink: ChangeSink = { record: (change) => changes.push(change) };
  const result = work({ engine, state, sink, live: ahead.live });
  await writeAudiences(client, writes);
  await appendChanges(client, changes, now());
  return result;
}

/** Whether any audience or computed trait is defined: with none, nothing reads or writes audience state. */
export function hasDefinitions(set: AudienceSet): boolean {
  return set.ordered.length > 0 || set.allComputedTraits.length > 0;
}

/**
 * Appends the changes a person's write made (an edit, a contact made by hand, a merge, an import)
 * once its rows are in place, each evaluated as it is recorded (AudienceEngine.adminSink), the
 * entries and exits it causes right after it. The caller holds the definitions' lock shared, taken
 * before its other locks.
 */
export async function appendAdminChanges(
  client: pg.PoolClient,
  set: AudienceSet,
  changes: readonly NewChange[],
  now: () => number,
): Promise<void> {
  if (!hasDefinitions(set)) {
    await appendChanges(client, changes, now());
    return;
  }
  const profileIds = changes.flatMap((change) => (change.profileId === null ? [] : [change.profileId]));
  await withAudienceWork(client, set, profileIds, now, ({ engine, sink }) => {
    const admin = engine.adminSink(sink);
    for (const change of changes) admin.record(change);
  });
}
