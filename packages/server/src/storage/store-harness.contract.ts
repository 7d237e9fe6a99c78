// What every store's contract suites share: a store on a fresh, empty database with a clock the
// test moves, and events written as ingest writes them. Not part of the build.
import type { WriteKeyKind } from '../auth/secrets.js';
import { defaultIngestLimits } from '../ingest/limits.js';
import { prepareEvent } from '../ingest/prepare-event.js';
import type { InsertOutcome, NewEvent } from './event-store.js';
import type { Store } from './store.js';

/** Where the clock of every suite starts: 2026-03-01T12:00:00Z. */
export const contractStart = Date.parse('2026-03-01T12:00:00.000Z');

export interface StoreHarness {
  /** Wired as the server wires it: the privacy gate and the identity step run on each insert. */
  readonly store: Store;
  /** The store's clock (epoch ms); a suite moves it. */
  readonly clock: { time: number };
  close(): Promise<void>;
}

/** Opens a store on a new, empty database whose clock starts at `contractStart`. */
export type OpenStore = () => Promise<StoreHarness>;

/**
 * The same, for a suite that needs only some parts of the store: an engine whose port is not whole
 * yet (PostgreSQL, storage/postgres/) runs the suites of the parts it has.
 */
export type OpenStoreParts<K extends keyof Store> = () => Promise<{
  readonly store: Pick<Store, K>;
  readonly clock: { time: number };
  close(): Promise<void>;
}>;

// Unique across a process, as the server's own generated ids are.
let generated = 0;

/** What ingesting needs of a harness: the event store and the clock. */
export interface IngestHarness {
  readonly store: Pick<Store, 'events'>;
  readonly clock: { time: number };
}

/**
 * A harness for a suite that reads what ingest made through some parts `P` of the store: what an
 * engine being ported (PostgreSQL) has before it has them all.
 */
export type OpenIngestWith<P> = () => Promise<IngestHarness & { readonly store: P; close(): Promise<void> }>;

/** Events as the server hands them to the store: prepared from what a client sends. */
export function newEvents(
  harness: Pick<IngestHarness, 'clock'>,
  bodies: readonly Record<string, unknown>[],
  options: { readonly source?: string; readonly writeKeyKind?: WriteKeyKind } = {},
): NewEvent[] {
  return bodies.map((body) => {
    const prepared = prepareEvent(
      { timestamp: new Date(harness.clock.time).toISOString(), ...body },
      {
        source: options.source ?? 'default',
        writeKeyKind: options.writeKeyKind ?? 'server',
        receivedAt: harness.clock.time,
        limits: defaultIngestLimits,
        envelope: {},
        newMessageId: () => `generated-${++generated}`,
      },
    );
    if (!prepared.ok) throw new Error(`not an event: ${JSON.stringify(prepared.problem)}`);
    return prepared.event;
  });
}

/** Inserts the events in one transaction, as one request's batch is. */
export function ingest(
  harness: IngestHarness,
  ...bodies: readonly Record<string, unknown>[]
): Promise<InsertOutcome[]> {
  return harness.store.events.insertEvents(newEvents(harness, bodies));
}
