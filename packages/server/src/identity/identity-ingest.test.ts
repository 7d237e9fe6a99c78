import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.js';
import { DEFAULT_IDENTITY_RULES } from './identity-rules.js';

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
    const { post, db, readMetrics } = createTestApp();
    const response = await post('/v1/track', { userId: 'null', anonymousId: 'undefined', event: 'X' });
    expect(response.status).toBe(200);
    expect(db.prepare('SELECT profile_id FROM events').pluck().all()).toEqual([null]);
    const metrics = await readMetrics();
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

describe('which identifiers a kind of write key may join contacts on', () => {
  const rules = { ...DEFAULT_IDENTITY_RULES, joinOn: { client: ['anonymous_id', 'user_id'], server: 'all' } as const };

  it('keeps a client key from joining itself to a known person by their email, and tells it nothing', async () => {
    const t = createTestApp({ identityRules: rules });
    const server = t.credentials.create('write_key', { writeKeyKind: 'server' }).secret;
    await t.post(
      '/v1/identify',
      { userId: 'victim', traits: { email: 'victim@example.com', plan: 'pro' } },
      { writeKey: server },
    );
    const attack = await t.post('/v1/identify', { anonymousId: 'attacker', traits: { email: 'victim@example.com' } });
    const control = await t.post('/v1/identify', { anonymousId: 'other', traits: { email: 'nobody@example.com' } });
    // The same answer whether or not the email belongs to someone.
    expect(await attack.json()).toEqual(await control.json());
    const owners = t.db
      .prepare(
        "SELECT type, value, profile_id FROM identifiers WHERE value IN ('victim', 'attacker', 'victim@example.com')",
      )
      .all() as { type: string; profile_id: number }[];
    const victim = owners.find((row) => row.type === 'user_id')?.profile_id;
    const attacker = owners.find((row) => row.type === 'anonymous_id')?.profile_id;
    expect(attacker).not.toBe(victim);
    expect(owners.filter((row) => row.profile_id === attacker).map((row) => row.type)).toEqual(['anonymous_id']);
    expect(await t.readMetrics()).toMatch(/^weft_identity_identifiers_not_joined_total 2$/m);
  });

  it('lets a server key join by email, and by default a client key too (the usual CDP behaviour)', async () => {
    for (const [identityRules, writeKeyKind] of [
      [rules, 'server'],
      [DEFAULT_IDENTITY_RULES, 'client'],
    ] as const) {
      const t = createTestApp({ identityRules });
      const key = t.credentials.create('write_key', { writeKeyKind }).secret;
      const server = t.credentials.create('write_key', { writeKeyKind: 'server' }).secret;
      await t.post('/v1/identify', { userId: 'u1', traits: { email: 'ada@example.com' } }, { writeKey: server });
      await t.post('/v1/identify', { anonymousId: 'a1', traits: { email: 'ada@example.com' } }, { writeKey: key });
      const profiles = t.db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get();
      expect(profiles, writeKeyKind).toBe(1);
    }
  });
});
