import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { eventStoreWith } from '../testing/event-store-kit.js';
import { openTestApp } from '../testing/test-app.js';

/** A real SQLite store whose database is closed: every insert throws, as on a lost disk. */
function closedStore() {
  const db = openDatabase(':memory:');
  const store = eventStoreWith(db);
  db.close();
  return store;
}

describe('a storage failure', () => {
  it('answers 503 storage_unavailable to every request, never 200', async () => {
    const { post, logLines } = await openTestApp({ events: closedStore() });
    const event = { type: 'track', event: 'E', userId: 'u' };
    // Concurrent requests share a group commit: a failed commit must fail each of them.
    const answers = await Promise.all([
      post('/v1/batch', { batch: [event, { ...event, messageId: 'm2' }] }),
      post('/v1/track', event),
      post('/v1/batch', { batch: [event] }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: { code: 'storage_unavailable', message: expect.stringContaining('retry') },
      });
    }
    expect(logLines.some((line) => line.msg === 'ingest commit failed')).toBe(true);
    expect(logLines.filter((line) => line.msg === 'request').map((line) => line.error)).toEqual([
      'storage_unavailable',
      'storage_unavailable',
      'storage_unavailable',
    ]);
  });
});
