import { describe, expect, it } from 'vitest';
import type { IngestStep } from '../../ingest/pipeline.js';
import type { NewEvent } from '../event-store.js';
import { openDatabase } from './open-database.js';
import { createSqliteEventStore } from './sqlite-event-store.js';

function event(messageId: string, source = 'default'): NewEvent {
  return {
    source,
    writeKeyKind: 'client',
    type: 'identify',
    messageId,
    userId: 'u1',
    anonymousId: 'a1',
    event: null,
    timestamp: 10,
    receivedAt: 20,
    body: `{"messageId":"${messageId}"}`,
  };
}

describe('SQLite event store', () => {
  it('stores each column and reports duplicates per source', () => {
    const db = openDatabase(':memory:');
    const store = createSqliteEventStore(db);
    expect(store.insertEvents([event('m1'), event('m1'), event('m1', 'other')])).toEqual([
      'inserted',
      'duplicate',
      'inserted',
    ]);
    expect(db.prepare('SELECT * FROM events WHERE source = ?').get('default')).toMatchObject({
      type: 'identify',
      message_id: 'm1',
      user_id: 'u1',
      anonymous_id: 'a1',
      timestamp: 10,
      received_at: 20,
      body: '{"messageId":"m1"}',
    });
  });

  it('runs the ingest steps for new events only, inside the same transaction', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE seen (message_id TEXT)');
    const record = db.prepare('INSERT INTO seen VALUES (?)');
    const seen: IngestStep = { name: 'seen', apply: (e) => void record.run(e.messageId) };
    const store = createSqliteEventStore(db, [seen]);
    store.insertEvents([event('m1'), event('m1')]);
    expect(db.prepare('SELECT message_id FROM seen').pluck().all()).toEqual(['m1']);

    const failing: IngestStep = {
      name: 'failing',
      apply: (e) => {
        if (e.messageId === 'm3') throw new Error('resolver failed');
      },
    };
    const strict = createSqliteEventStore(db, [seen, failing]);
    expect(() => strict.insertEvents([event('m2'), event('m3')])).toThrow('resolver failed');
    expect(db.prepare('SELECT message_id FROM events ORDER BY id').pluck().all()).toEqual(['m1']);
    expect(db.prepare('SELECT message_id FROM seen').pluck().all()).toEqual(['m1']);
  });

  it('answers ping and a size that grows with the data', () => {
    const store = createSqliteEventStore(openDatabase(':memory:'));
    expect(store.ping()).toBe(true);
    const before = store.sizeBytes();
    store.insertEvents(Array.from({ length: 500 }, (_, i) => event(`m${i}`)));
    expect(store.sizeBytes()).toBeGreaterThan(before);
    store.close();
    expect(store.ping()).toBe(false);
  });
});
