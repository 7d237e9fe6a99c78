import { describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';
import { createSqliteWebhookStore } from './sqlite-webhook-store.js';

describe('sqlite webhook store', () => {
  it('writes its bookkeeping without waiting for the disk, and leaves every other commit waiting for it', async () => {
    const db = openDatabase(':memory:');
    const store = createSqliteWebhookStore(db);
    const synchronous = () => db.pragma('synchronous', { simple: true });
    expect(synchronous()).toBe(2);
    const { endpoint } = await store.create({ url: 'http://127.0.0.1:9/hooks', types: ['contact.created'] }, 1_000);
    db.prepare(
      "INSERT INTO changes (type, profile_id, contact_id, at, data) VALUES ('contact.created', NULL, 'ct_1', 1, '{}')",
    ).run();
    expect(await store.enqueue(endpoint.id, 100, 2_000)).toBe(1);
    const [message] = await store.takeDue(endpoint.id, 2_000, 10, 60_000);
    expect(message).toBeDefined();
    // A message in flight is not taken again until its lease ends (kept in memory, not written).
    expect(await store.takeDue(endpoint.id, 2_000, 10, 60_000)).toEqual([]);
    await store.recordAttempts(endpoint.id, [
      {
        messageId: message?.id as number,
        at: 3_000,
        status: 204,
        error: null,
        snippet: '',
        outcome: 'delivered',
        nextAttemptAt: null,
      },
    ]);
    expect(synchronous()).toBe(2);
    expect((await store.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10))[0]?.status).toBe('delivered');
  });
});
