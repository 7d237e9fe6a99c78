import { statSync } from 'node:fs';
import { type BatchRows, runIngestBatch } from '../../ingest/ingest-batch.js';
import type { IngestPipeline, IngestUnit } from '../../ingest/pipeline.js';
import type { EventStore, NewEvent } from '../event-store.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/**
 * EventStore on better-sqlite3: statements prepared once, every batch one transaction, in which
 * ingest/ingest-batch.ts decides what becomes of each event. After the commit, the pipeline's
 * after-commit hooks run, outside the transaction.
 */
export function createSqliteEventStore(
  db: SqliteDatabase,
  pipeline: IngestPipeline,
  unit: IngestUnit,
): Synchronous<EventStore> {
  const isStored = db.prepare<[string, string]>('SELECT 1 FROM events WHERE source = ? AND message_id = ?').pluck();
  const insertEvent = db.prepare(`
    INSERT INTO events (source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body, profile_id)
    VALUES (@source, @type, @messageId, @userId, @anonymousId, @event, @timestamp, @receivedAt, @body, @profileId)
  `);
  const selectOne = db.prepare('SELECT 1').pluck();
  const pageCount = db.prepare('PRAGMA page_count').pluck();
  const pageSize = db.prepare('PRAGMA page_size').pluck();

  const rows: BatchRows = {
    isStored: (event) => isStored.get(event.source, event.messageId) !== undefined,
    writeEvent: (event, profileId) => insertEvent.run({ ...event, profileId }),
  };
  const insertAll = db.transaction((events: readonly NewEvent[]) => runIngestBatch(events, pipeline, unit, rows));

  return {
    insertEvents(events) {
      const committed = insertAll(events);
      pipeline.afterCommit(committed);
      return committed.map((entry) => entry.outcome);
    },
    ping() {
      try {
        return selectOne.get() === 1;
      } catch {
        return false;
      }
    },
    sizeBytes() {
      const main = (pageCount.get() as number) * (pageSize.get() as number);
      return main + walSize(db);
    },
    close: () => db.close(),
  };
}

function walSize(db: SqliteDatabase): number {
  if (db.memory) return 0;
  try {
    return statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}
