import { describe, expect, it } from 'vitest';
import type { IngestStep } from '../../ingest/pipeline.js';
import { trackEvent as event, eventStoreWith } from '../../testing/event-store-kit.js';
import { openDatabase } from './open-database.js';

describe('SQLite event store', () => {
  it('stores each column and reports duplicates per source, within a batch too', async () => {
    const db = openDatabase(':memory:');
    const store = eventStoreWith(db);
    expect(await store.insertEvents([event('m1'), event('m1'), event('m1', 'other')])).toEqual([
      'inserted',
      'duplicate',
      'inserted',
    ]);
    expect(db.prepare('SELECT * FROM events WHERE source = ?').get('default')).toMatchObject({
      type: 'track',
      message_id: 'm1',
      user_id: 'u1',
      event: 'E',
      timestamp: 10,
      received_at: 20,
      body: '{"type":"track","event":"E","userId":"u1","messageId":"m1"}',
      profile_id: null,
    });
  });

  it('runs the steps for new events only, inside the same transaction, and writes each row once with their profile', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE seen (message_id TEXT)');
    const record = db.prepare('INSERT INTO seen VALUES (?)');
    const seen: IngestStep = {
      name: 'seen',
      apply: (e) => {
        record.run(e.messageId);
        return { profileId: 7, contactId: 'ct_seven' };
      },
    };
    const updates: string[] = [];
    db.function('count_update', (id: string) => void updates.push(id));
    db.exec(`CREATE TRIGGER events_updated AFTER UPDATE ON events BEGIN SELECT count_update(NEW.message_id); END`);
    await eventStoreWith(db, { steps: [seen] }).insertEvents([event('m1'), event('m1')]);
    expect(db.prepare('SELECT message_id FROM seen').pluck().all()).toEqual(['m1']);
    expect(db.prepare('SELECT profile_id FROM events').pluck().all()).toEqual([7]);
    expect(updates).toEqual([]);

    const failing: IngestStep = {
      name: 'failing',
      apply: (e) => {
        if (e.messageId === 'm3') throw new Error('resolver failed');
        return {};
      },
    };
    const strict = eventStoreWith(db, { steps: [seen, failing] });
    await expect(strict.insertEvents([event('m2'), event('m3')])).rejects.toThrow('resolver failed');
    expect(db.prepare('SELECT message_id FROM events ORDER BY id').pluck().all()).toEqual(['m1']);
    expect(db.prepare('SELECT message_id FROM seen').pluck().all()).toEqual(['m1']);
    expect(db.prepare("SELECT count(*) FROM changes WHERE type = 'event.stored'").pluck().get()).toBe(1);
  });

  it('records an event.stored change for each event stored, in its transaction', async () => {
    const db = openDatabase(':memory:');
    await eventStoreWith(db).insertEvents([event('m1'), event('m1'), event('m2')]);
    const changes = db.prepare('SELECT type, data FROM changes ORDER BY seq').all() as { type: string; data: string }[];
    expect(changes.map((change) => [change.type, JSON.parse(change.data).messageId])).toEqual([
      ['event.stored', 'm1'],
      ['event.stored', 'm2'],
    ]);
  });

  it('runs the after-commit hooks outside the transaction: one that throws fails nothing', async () => {
    const db = openDatabase(':memory:');
    const errors: unknown[] = [];
    const seenAfter: string[] = [];
    const store = eventStoreWith(db, {
      afterCommit: [
        () => {
          throw new Error('consumer broke');
        },
        (committed) => {
          // Committed: another statement outside the transaction already sees the row.
          expect(db.inTransaction).toBe(false);
          seenAfter.push(...committed.map((entry) => `${entry.event.messageId}:${entry.outcome}`));
        },
      ],
      onHookError: (error) => errors.push(error),
    });
    expect(await store.insertEvents([event('m1'), event('m1')])).toEqual(['inserted', 'duplicate']);
    expect(seenAfter).toEqual(['m1:inserted', 'm1:duplicate']);
    expect(errors).toHaveLength(1);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
  });

  it('answers ping and a size that grows with the data', async () => {
    const store = eventStoreWith(openDatabase(':memory:'));
    expect(await store.ping()).toBe(true);
    const before = await store.sizeBytes();
    await store.insertEvents(Array.from({ length: 500 }, (_, i) => event(`m${i}`)));
    expect(await store.sizeBytes()).toBeGreaterThan(before);
    await store.close();
    expect(await store.ping()).toBe(false);
  });
});
