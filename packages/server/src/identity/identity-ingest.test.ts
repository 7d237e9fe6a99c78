import { describe, expect, it } from 'vitest';
import { type EngineTestApp, openTestApp } from '../testing/test-app.js';
import { DEFAULT_IDENTITY_RULES } from './identity-rules.js';

async function liveProfiles(t: EngineTestApp) {
  const rows = await t.query<{ id: number | string; event_count: number | string; traits: string }>(
    'SELECT id, event_count, traits FROM profiles WHERE merged_into IS NULL ORDER BY id',
  );
  return rows.map((row) => ({ id: Number(row.id), event_count: Number(row.event_count), traits: row.traits }));
}

/** A count(*) of either engine (PostgreSQL answers it as text). */
async function count(t: EngineTestApp, sql: string): Promise<number> {
  const [row] = await t.query<{ n: number | string }>(sql);
  return Number(row?.n);
}

describe('identity resolution on ingest', () => {
  it('stitches a batch into one profile and notes it on each event', async () => {
    const t = await openTestApp();
    const { post } = t;
    const response = await post('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'a1', messageId: 'm1' },
        { type: 'identify', anonymousId: 'a1', userId: 'u1', traits: { plan: 'pro' }, messageId: 'm2' },
        { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm3' },
      ],
    });
    expect(response.status).toBe(200);
    const [profile, ...others] = await liveProfiles(t);
    expect(others).toEqual([]);
    expect(profile).toMatchObject({ event_count: 3, traits: '{"plan":"pro"}' });
    const eventProfiles = await t.query<{ profile_id: number | string }>('SELECT DISTINCT profile_id FROM events');
    expect(eventProfiles.map((row) => Number(row.profile_id))).toEqual([profile?.id]);
  });

  it('does not count a resent event twice', async () => {
    const t = await openTestApp();
    const { post } = t;
    const event = { type: 'track', anonymousId: 'a1', event: 'X', messageId: 'same' };
    await post('/v1/batch', { batch: [event] });
    await post('/v1/batch', { batch: [event] });
    expect((await liveProfiles(t)).map((profile) => profile.event_count)).toEqual([1]);
  });

  it('stores an event whose only ids are placeholders, unattached, and counts them in /metrics', async () => {
    const t = await openTestApp();
    const { post, readMetrics } = t;
    const response = await post('/v1/track', { userId: 'null', anonymousId: 'undefined', event: 'X' });
    expect(response.status).toBe(200);
    expect(await t.query('SELECT profile_id FROM events')).toEqual([{ profile_id: null }]);
    const metrics = await readMetrics();
    expect(metrics).toMatch(/^weft_identity_blocked_values_total 2$/m);
  });

  it('rolls the profile update back with the events when the commit fails', async () => {
    const t = await openTestApp();
    const { post } = t;
    await t.query(
      t.engine === 'sqlite'
        ? `CREATE TRIGGER fail_on_boom BEFORE INSERT ON events WHEN NEW.message_id = 'boom'
           BEGIN SELECT RAISE(ABORT, 'disk full'); END`
        : `CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS
             $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
           CREATE TRIGGER fail_on_boom BEFORE INSERT ON events FOR EACH ROW
             WHEN (NEW.message_id = 'boom') EXECUTE FUNCTION fail_on_boom()`,
    );
    const response = await post('/v1/batch', {
      batch: [
        { type: 'identify', anonymousId: 'a1', userId: 'u1', messageId: 'ok' },
        { type: 'track', anonymousId: 'a1', event: 'X', messageId: 'boom' },
      ],
    });
    expect(response.status).toBe(503);
    expect(await count(t, 'SELECT count(*) AS n FROM events')).toBe(0);
    expect(await liveProfiles(t)).toEqual([]);
    expect(await count(t, 'SELECT count(*) AS n FROM identifiers')).toBe(0);
  });
});

describe('which identifiers a kind of write key may join contacts on', () => {
  const rules = { ...DEFAULT_IDENTITY_RULES, joinOn: { client: ['anonymous_id', 'user_id'], server: 'all' } as const };

  it('keeps a client key from joining itself to a known person by their email, and tells it nothing', async () => {
    const t = await openTestApp({ identityRules: rules });
    const server = (await t.store.credentials.create('write_key', { writeKeyKind: 'server' })).secret;
    await t.post(
      '/v1/identify',
      { userId: 'victim', traits: { email: 'victim@example.com', plan: 'pro' } },
      { writeKey: server },
    );
    const attack = await t.post('/v1/identify', { anonymousId: 'attacker', traits: { email: 'victim@example.com' } });
    const control = await t.post('/v1/identify', { anonymousId: 'other', traits: { email: 'nobody@example.com' } });
    // The same answer whether or not the email belongs to someone.
    expect(await attack.json()).toEqual(await control.json());
    const owners = await t.query<{ type: string; profile_id: number }>(
      "SELECT type, value, profile_id FROM identifiers WHERE value IN ('victim', 'attacker', 'victim@example.com')",
    );
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
      const t = await openTestApp({ identityRules });
      const key = (await t.store.credentials.create('write_key', { writeKeyKind })).secret;
      const server = (await t.store.credentials.create('write_key', { writeKeyKind: 'server' })).secret;
      await t.post('/v1/identify', { userId: 'u1', traits: { email: 'ada@example.com' } }, { writeKey: server });
      await t.post('/v1/identify', { anonymousId: 'a1', traits: { email: 'ada@example.com' } }, { writeKey: key });
      const profiles = await count(t, 'SELECT count(*) AS n FROM profiles WHERE merged_into IS NULL');
      expect(profiles, writeKeyKind).toBe(1);
    }
  });
});
