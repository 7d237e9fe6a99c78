import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createIngestPipeline, type IngestPipelineParts } from '../ingest/pipeline.js';
import type { EventStore, NewEvent } from '../storage/event-store.js';
import type { SqliteDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.js';

/** The SQLite event store with a pipeline of the test's own (none by default: a plain insert). */
export function eventStoreWith(
  db: SqliteDatabase,
  parts: Partial<IngestPipelineParts> = {},
  isChangeFeedOn = true,
): EventStore {
  const pipeline = createIngestPipeline({ gates: [], steps: [], ...parts });
  return createSqliteStore(db, { pipeline, rules: DEFAULT_IDENTITY_RULES, now: Date.now, isChangeFeedOn }).events;
}

/** A track event as prepareEvent would make it, with the given messageId and source. */
export function trackEvent(messageId: string, source = 'default'): NewEvent {
  const fields = { type: 'track', event: 'E', userId: 'u1', messageId };
  return {
    source,
    writeKeyKind: 'client',
    type: 'track',
    messageId,
    userId: 'u1',
    anonymousId: null,
    event: 'E',
    timestamp: 10,
    receivedAt: 20,
    fields,
    body: JSON.stringify(fields),
  };
}
