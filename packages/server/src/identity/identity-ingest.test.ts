import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.js';

function liveProfiles(db: ReturnType<typeof createTestApp>['db']) {
  return db.prepare('SELECT id, event_count, traits FROM profiles WHERE merged_into IS NULL ORDER BY id').all() as {
    id: number;
    event_count: number;
    traits: string;
  }[];
}

describe('identity resolution on ingest', () => {
  it('stitches a batch into one profile and notes it on each event', async () => {
    const { post, db } = createTestApp();
    const response = await post('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'a1', messageId: 'm1' },
        { type: 'identify', anonymousId: 'a1', userId: 'u1', traits: { plan: 'pro' }, messageId: 'm2' },
        { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm3' },
      ],
    });
    expect(response.status).toBe(200);
    const [profile, ...others] = liveProfiles(db);
    expect(others).toEqual([]);
    expect(profile).toMatchObject({ event_count: 3, traits: '{"plan":"pro"}' });
    const eventProfiles = db.prepare('SELECT DISTINCT profile_id FROM events').pluck().all();
    expect(eventProfiles).toEqual([profile?.id]);
  });

  it('does not count a resent event twice', async () => {
    const { post, db } = createTestApp();
    const event = { type: 'track', anonymousId: 'a1', event: 'X', messageId: 'same' };
    await post('/v1/batch', { batch: [event] });
    await post('/v1/batch', { batch: [event] });
    expect(liveProfiles(db).map((profile) => profile.event_count)).toEqual([1]);
  });

  it('stores an event whose only ids are placeholders, unattached, and counts them in /metrics', async () => {
    const { post, db, app } = createTestApp();
    const response = await post('/v1/track', { userId: 'null', anonymousId: 'undefined', event: 'X' });
    expect(response.status).toBe(200);
    expect(db.prepare('SELECT profile_id FROM events').pluck().all()).toEqual([null]);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/^weft_identity_blocked_values_total 2$/m);
  });

  it('rolls the profile update back with the events when the commit fails', async () => {
    const { post, db } = createTestApp();
    db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON events WHEN NEW.message_id = 'boom'
             BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const response = await post('/v1/batch', {
      batch: [
        { type: 'identify', anonymousId: 'a1', userId: 'u1', messageId: 'ok' },
        { type: 'track', anonymousId: 'a1', event: 'X', messageId: 'boom' },
      ],
    });
    expect(response.status).toBe(503);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    expect(liveProfiles(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM identifiers').pluck().get()).toBe(0);
  });
});
