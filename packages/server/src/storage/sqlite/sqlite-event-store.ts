import { statSync } from 'node:fs';
import type { CommittedEvent, IngestPipeline, IngestUnit, StepResult } from '../../ingest/pipeline.js';
import type { EventStore, InsertOutcome, NewEvent } from '../event-store.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/**
 * EventStore on better-sqlite3: statements prepared once, every batch one transaction. For each
 * event: a duplicate messageId stops it at once; the pipeline's gates decide whether it is stored;
 * its steps run (identity resolution answers the profile); then its row is written, profile and all,
 * in one statement, and an event.stored change recorded; once every event is written, the change
 * sink acts on what they gathered (audiences), still in the transaction. After the commit, the
 * pipeline's after-commit hooks run, outside the transaction.
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

  const store = (event: NewEvent): StepResult => {
    unit.changes.beginEvent();
    let found: StepResult = {};
    for (const step of pipeline.steps) {
      const result = step.apply(event, unit);
      if (result.profileId !== undefined) found = result;
    }
    insertEvent.run({ ...event, profileId: found.profileId ?? null });
    unit.changes.record({
      type: 'event.stored',
      profileId: found.profileId ?? null,
      contactId: found.contactId ?? null,
      data: {
        messageId: event.messageId,
        source: event.source,
        type: event.type,
        name: event.event,
        contactId: found.contactId ?? null,
      },
      event: { type: event.type, name: event.event, timestamp: event.timestamp, properties: event.fields.properties },
    });
    return found;
  };

  const insertAll = db.transaction((events: readonly NewEvent[]): CommittedEvent[] => {
    const committed: CommittedEvent[] = new Array(events.length);
    unit.changes.beginUnit();
    for (const gate of pipeline.gates) gate.begin(unit);
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewEvent;
      let outcome: InsertOutcome;
      let contactId: string | undefined;
      // A batch may carry one messageId twice: the second finds the first's row, as a retry would.
      if (isStored.get(event.source, event.messageId) !== undefined) outcome = 'duplicate';
      else if (!pipeline.gates.every((gate) => gate.admit(event, unit))) outcome = 'discarded';
      else {
        contactId = store(event).contactId;
        outcome = 'inserted';
      }
      committed[i] = { event, outcome, contactId };
    }
    unit.changes.endUnit();
    return committed;
  });

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
