import { describe, expect, it } from 'vitest';
import { type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';
import { type ChangeRetention, startChangePruner } from './change-pruner.js';
import { differences, liveContacts, readWholeFeed, replay, replayedOf } from './feed-replay-test-kit.js';

const day = 86_400_000;
const retention: ChangeRetention = { eventsMs: 7 * day, contactsMs: 90 * day, holdMaxMs: 30 * day };

function prunerOf(t: EngineContactsTestApp, sliceRows = 500) {
  return startChangePruner({ changes: t.store.changes, retention, now: t.clock.now, sliceRows, everyMs: 3_600_000 });
}

const types = async (t: EngineContactsTestApp) =>
  (await t.query<{ type: string }>('SELECT type FROM changes ORDER BY seq')).map((row) => row.type);

describe('change retention', () => {
  it('prunes event.stored after 7 days and contact changes after 90, in slices', async () => {
    const t = await openContactsTestApp();
    for (let i = 0; i < 5; i++) await t.seed({ type: 'identify', userId: `u${i}` });
    const pruner = prunerOf(t, 2);
    try {
      t.clock.time += 6 * day;
      expect(await pruner.pruneNow()).toBe(0);
      t.clock.time += 2 * day;
      expect(await pruner.pruneNow()).toBe(5);
      expect(await types(t)).toEqual(Array(5).fill('contact.created'));
      t.clock.time += 90 * day;
      expect(await pruner.pruneNow()).toBe(5);
      expect(await types(t)).toEqual([]);
    } finally {
      pruner.stop();
    }
  });

  it('answers 410 cursor_expired to a cursor from before what it pruned, for the types that were pruned', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const start = (await t.getJson<{ cursor: string }>('/v1/changes?limit=1')).cursor;
    const pruner = prunerOf(t);
    try {
      t.clock.time += 8 * day;
      await pruner.pruneNow();
      const expired = await t.getJson<{ error: { code: string; message: string } }>(`/v1/changes?after=${start}`, 410);
      expect(expired.error).toEqual({ code: 'cursor_expired', message: expect.stringContaining('/v1/changes/head') });
      // Contact changes were not pruned: a reader of those alone missed nothing.
      const contacts = await t.getJson<{ data: unknown[] }>(`/v1/changes?after=${start}&types=contact.created`);
      expect(contacts.data).toEqual([]);
      expect((await t.get('/v1/changes')).status).toBe(410);
    } finally {
      pruner.stop();
    }
  });

  it('waits for an enabled consumer that is behind, up to the longest it may hold', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    await t.store.changes.saveConsumer({ name: 'webhook:1', position: 0, isEnabled: true });
    const pruner = prunerOf(t);
    try {
      t.clock.time += 8 * day;
      expect(await pruner.pruneNow()).toBe(0);
      await t.store.changes.saveConsumer({ name: 'webhook:2', position: 0, isEnabled: false });
      expect(await pruner.pruneNow()).toBe(0);
      t.clock.time += 30 * day;
      // Held for 38 days now, past the 30 a consumer may hold the feed for.
      expect(await pruner.pruneNow()).toBe(1);
    } finally {
      pruner.stop();
    }
  });

  it('lets a consumer whose cursor expired resynchronise: head, then a snapshot, then the feed after the head', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'identify', userId: 'u1', traits: { plan: 'free' } },
      { type: 'identify', userId: 'u2', anonymousId: 'a2' },
    );
    const stale = (await t.getJson<{ cursor: string }>('/v1/changes?limit=1')).cursor;
    const pruner = prunerOf(t);
    try {
      t.clock.time += 8 * day;
      await pruner.pruneNow();
      expect((await t.get(`/v1/changes?after=${stale}`)).status).toBe(410);

      // 1. The head, before the snapshot: whatever changes while the snapshot is read is after it.
      const { cursor: head } = await t.getJson<{ cursor: string }>('/v1/changes/head');
      await t.seed({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } });
      // 2. The snapshot, read while writes go on between its pages.
      const snapshot = new Map();
      let cursor: string | null = null;
      do {
        const page: { data: Parameters<typeof replayedOf>[0][]; nextCursor: string | null } = await t.getJson(
          `/v1/contacts?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const contact of page.data) snapshot.set(contact.id, replayedOf(contact));
        cursor = page.nextCursor;
        await t.seed({ type: 'identify', userId: 'u3', anonymousId: 'a2', traits: { seats: 3 } });
      } while (cursor);
      await t.send('PATCH', '/v1/contacts/user_id:u2', { owner: 'sam' });
      // 3. The feed after the head, applied to the snapshot: the same contacts as the API's.
      const held = replay(await readWholeFeed(t, 100, head), { strict: false, onto: snapshot });
      expect(differences(held, await liveContacts(t))).toEqual([]);
    } finally {
      pruner.stop();
    }
  });
});
