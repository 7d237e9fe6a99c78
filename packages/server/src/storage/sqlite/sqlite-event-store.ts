import { statSync } from 'node:fs';
import type { IngestGate, IngestStep } from '../../ingest/pipeline.js';
import type { EventStore, InsertOutcome, NewEvent } from '../event-store.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/**
 * EventStore on better-sqlite3: statements prepared once, every call one transaction. Gates decide
 * first whether an event is stored at all; steps then run for each event newly stored.
 */
export function createSqliteEventStore(
  db: SqliteDatabase,
  steps: readonly IngestStep[] = [],
  gates: readonly IngestGate[] = [],
): Synchronous<EventStore> {
  // ON CONFLICT DO NOTHING makes a re-sent messageId a no-op; `changes` tells us which it was.
  const insertEventUnlessDuplicate = db.prepare(`
    INSERT INTO events (source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body)
    VALUES (@source, @type, @messageId, @userId, @anonymousId, @event, @timestamp, @receivedAt, @body)
    ON CONFLICT (source, message_id) DO NOTHING
  `);
  const selectOne = db.prepare('SELECT 1').pluck();
  const pageCount = db.prepare('PRAGMA page_count').pluck();
  const pageSize = db.prepare('PRAGMA page_size').pluck();

  const insertAll = db.transaction((events: readonly NewEvent[]): InsertOutcome[] => {
    const outcomes: InsertOutcome[] = new Array(events.length);
    for (const gate of gates) gate.begin();
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewEvent;
      if (!gates.every((gate) => gate.admit(event))) {
        outcomes[i] = 'discarded';
        continue;
      }
      const inserted = insertEventUnlessDuplicate.run(event).changes === 1;
      outcomes[i] = inserted ? 'inserted' : 'duplicate';
      if (inserted) for (const step of steps) step.apply(event);
    }
    return outcomes;
  });

  return {
    insertEvents: (events) => insertAll(events),
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
