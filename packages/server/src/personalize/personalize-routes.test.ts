import { describe, expect, it } from 'vitest';
import {
  identitySecret,
  openPersonalizeTestApp,
  type PersonalizeTestApp,
  shopOrigin,
  signToken,
} from './personalize-test-kit.js';

const hour = 3_600_000;

/** Ann: an anonymous visitor who viewed pricing (in the audience, with traits); Bob: a signed-up user. */
async function shop(): Promise<{ t: PersonalizeTestApp; pricing: string; key: string; keyId: string }> {
  const t = await openPersonalizeTestApp();
  const pricing = await t.defineAudience({ event: 'Pricing Viewed' }, 'Pricing viewers');
  await t.defineAudience({ event: 'Order' }, 'Buyers');
  await t.defineComputed('views', { event: 'Pricing Viewed', aggregate: 'count' });
  await t.seed(
    { type: 'identify', anonymousId: 'anon-ann', traits: { plan: 'free', secretNote: 'vip lead' } },
    { type: 'track', anonymousId: 'anon-ann', event: 'Pricing Viewed' },
    { type: 'identify', userId: 'bob', anonymousId: 'anon-bob', traits: { plan: 'pro', email: 'bob@example.com' } },
    { type: 'track', userId: 'bob', event: 'Pricing Viewed' },
    { type: 'track', userId: 'bob', event: 'Order' },
  );
  const { key, id } = await t.makeKey({ traits: ['plan'], computedTraits: ['views'], audiences: [pricing] });
  return { t, pricing, key, keyId: id };
}

const tokenFor = (userId: string, t: PersonalizeTestApp, lifetimeMs = hour) =>
  signToken({ sub: userId, exp: Math.floor((t.clock.time + lifetimeMs) / 1000) });

describe('GET /v1/personalize: whom it answers about', () => {
  it('answers an anonymous visitor from their anonymousId, allowlisted fields only', async () => {
    const { t, key, pricing } = await shop();
    expect(await t.answer({ key, anonymousId: 'anon-ann' })).toEqual({
      audiences: [{ id: pricing, name: 'Pricing viewers' }],
      traits: { plan: 'free' },
      computed: { views: 1 },
    });
  });

  it('never answers one visitor with another’s data', async () => {
    const { t, key } = await shop();
    const empty = { audiences: [], traits: {}, computed: {} };
    // A second visitor, with an anonymousId of their own, gets their own answer, nothing of Ann's.
    await t.seed({ type: 'track', anonymousId: 'anon-eve', event: 'Home Viewed' });
    expect(await t.answer({ key, anonymousId: 'anon-eve' })).toEqual({ ...empty, computed: { views: 0 } });
    // Bob's userId without a token: nothing of Bob's; with an anonymousId, that visitor's own answer.
    expect(await t.answer({ key, userId: 'bob' })).toEqual(empty);
    expect(await t.answer({ key, userId: 'bob', anonymousId: 'anon-eve' })).toEqual({
      ...empty,
      computed: { views: 0 },
    });
    // Bob's anonymousId: his contact holds a userId and an email, a known person: nothing.
    expect(await t.answer({ key, anonymousId: 'anon-bob' })).toEqual(empty);
    // An anonymousId nobody holds: nothing.
    expect(await t.answer({ key, anonymousId: 'anon-nobody' })).toEqual(empty);
  });

  it('stops answering on an anonymousId once its contact holds an email, even with no userId', async () => {
    const { t, key } = await shop();
    expect((await t.answer({ key, anonymousId: 'anon-ann' })).traits).toEqual({ plan: 'free' });
    await t.seed({ type: 'identify', anonymousId: 'anon-ann', traits: { email: 'ann@example.com' } });
    expect(await t.answer({ key, anonymousId: 'anon-ann' })).toEqual({ audiences: [], traits: {}, computed: {} });
  });

  it('answers nothing to a token whose userId a client write key added to another person’s contact', async () => {
    const { t, key } = await shop();
    // Mallory holds a valid token for her own userId, and aliases it onto Bob's contact first.
    await t.seed({ type: 'alias', previousId: 'bob', userId: 'mallory' });
    const token = tokenFor('mallory', t);
    expect(await t.answer({ key, userId: 'mallory' }, { token })).toEqual({ audiences: [], traits: {}, computed: {} });
    // Bob, whose contact now holds two userIds, is no longer answered either, until it is his alone.
    expect((await t.answer({ key, userId: 'bob' }, { token: tokenFor('bob', t) })).traits).toEqual({});
  });

  it('counts any identifier but an anonymousId as a known person (a phone joined by a client key)', async () => {
    const { t, key } = await shop();
    await t.seed({
      type: 'track',
      anonymousId: 'anon-ann',
      event: 'Pricing Viewed',
      context: { externalIds: [{ type: 'phone', id: '+441234567890', collection: 'users', encoding: 'none' }] },
    });
    expect(await t.answer({ key, anonymousId: 'anon-ann' })).toEqual({ audiences: [], traits: {}, computed: {} });
  });

  it('answers a userId proven by an identity token the backend signed', async () => {
    const { t, key, pricing } = await shop();
    const token = tokenFor('bob', t);
    expect(await t.answer({ key, userId: 'bob' }, { token })).toEqual({
      audiences: [{ id: pricing, name: 'Pricing viewers' }],
      traits: { plan: 'pro' },
      computed: { views: 1 },
    });
    // The token alone names the user.
    expect((await t.answer({ key }, { token })).traits).toEqual({ plan: 'pro' });
  });

  it.each([
    [
      'expired',
      (t: PersonalizeTestApp) => signToken({ sub: 'bob', exp: Math.floor((t.clock.time - 1_000) / 1000) }),
      /expired/,
    ],
    ['for another userId', (t: PersonalizeTestApp) => tokenFor('ann', t), /another userId/],
    [
      'signed with another secret',
      (t: PersonalizeTestApp) =>
        signToken({ sub: 'bob', exp: Math.floor((t.clock.time + hour) / 1000) }, 'x'.repeat(40)),
      /signature/,
    ],
    ['valid for more than a day', (t: PersonalizeTestApp) => tokenFor('bob', t, 30 * hour), /24 hours/],
    [
      'of alg none',
      (t: PersonalizeTestApp) => {
        const [head, body] = tokenFor('bob', t).split('.');
        return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.${head?.slice(0, 0)}`;
      },
      /signature/,
    ],
    ['malformed', () => 'not-a-token', /JWT/],
  ])('refuses a token %s', async (_, make, reason) => {
    const { t, key } = await shop();
    const response = await t.ask({ key, userId: 'bob' }, { token: make(t) });
    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_identity_token');
    expect(error.message).toMatch(reason);
  });

  it('refuses every token when the server has no identity secret', async () => {
    const t = await openPersonalizeTestApp({ personalize: {} });
    const { key } = await t.makeKey({});
    const response = await t.ask(
      { key, userId: 'bob' },
      { token: signToken({ sub: 'bob', exp: 9e9 }, identitySecret) },
    );
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/WEFT_IDENTITY_SECRET/);
  });

  it('answers an erased identity with the empty profile, and a suppressed one too', async () => {
    const { t, key } = await shop();
    const token = tokenFor('bob', t);
    expect((await t.send('DELETE', '/v1/contacts/user_id:bob?suppress=true', undefined)).status).toBe(200);
    expect(await t.answer({ key, userId: 'bob' }, { token })).toEqual({ audiences: [], traits: {}, computed: {} });
    expect((await t.send('DELETE', '/v1/contacts/anonymous_id:anon-ann', undefined)).status).toBe(200);
    expect(await t.answer({ key, anonymousId: 'anon-ann' })).toEqual({ audiences: [], traits: {}, computed: {} });
  });
});

describe('GET /v1/personalize: keys, origins and caching', () => {
  it('refuses a missing, unknown or revoked key, and an origin the key does not list', async () => {
    const { t, key, keyId } = await shop();
    const codeOf = async (response: Response) => [
      response.status,
      ((await response.json()) as { error: { code: string } }).error.code,
    ];
    expect(await codeOf(await t.ask({ anonymousId: 'anon-ann' }))).toEqual([400, 'invalid_request']);
    expect(await codeOf(await t.ask({ key: 'pk_unknown', anonymousId: 'anon-ann' }))).toEqual([
      401,
      'invalid_publishable_key',
    ]);
    expect(await codeOf(await t.ask({ key, anonymousId: 'anon-ann' }, { origin: 'https://evil.example' }))).toEqual([
      403,
      'origin_not_allowed',
    ]);
    expect((await t.send('DELETE', `/v1/publishable-keys/${keyId}`, undefined)).status).toBe(204);
    expect(await codeOf(await t.ask({ key, anonymousId: 'anon-ann' }))).toEqual([401, 'invalid_publishable_key']);
  });

  it('sends CORS headers for the key’s origins only, and answers their preflight', async () => {
    const { t, key } = await shop();
    const response = await t.ask({ key, anonymousId: 'anon-ann' });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(shopOrigin);
    expect(response.headers.get('Vary')).toMatch(/Origin/);
    const preflight = await t.app.request(`/v1/personalize?key=${key}`, {
      method: 'OPTIONS',
      headers: { Origin: shopOrigin, 'Access-Control-Request-Headers': 'x-weft-identity-token' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/X-Weft-Identity-Token/i);
    const foreign = await t.app.request(`/v1/personalize?key=${key}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers 304 to the ETag of an unchanged answer, and a new ETag once it changes', async () => {
    const { t, key } = await shop();
    const first = await t.ask({ key, anonymousId: 'anon-ann' });
    const etag = first.headers.get('ETag') ?? '';
    expect(first.headers.get('Cache-Control')).toBe('private, max-age=0');
    expect((await t.ask({ key, anonymousId: 'anon-ann' }, { etag })).status).toBe(304);
    await t.seed({ type: 'identify', anonymousId: 'anon-ann', traits: { plan: 'team' } });
    const changed = await t.ask({ key, anonymousId: 'anon-ann' }, { etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
  });

  it('uses the configured max-age', async () => {
    const t = await openPersonalizeTestApp({ personalize: { identitySecret, maxAgeSeconds: 30 } });
    const { key } = await t.makeKey({});
    expect((await t.ask({ key, anonymousId: 'x' })).headers.get('Cache-Control')).toBe('private, max-age=30');
  });

  it('answers only what the key’s allowlists name, and follows a change to them', async () => {
    const { t, keyId, key } = await shop();
    const patched = await t.send('PATCH', `/v1/publishable-keys/${keyId}`, { traits: ['secretNote'], audiences: [] });
    expect(patched.status).toBe(200);
    expect(await t.answer({ key, anonymousId: 'anon-ann' })).toEqual({
      audiences: [],
      traits: { secretNote: 'vip lead' },
      computed: { views: 1 },
    });
  });
});

describe('/v1/publishable-keys', () => {
  it('creates, lists and revokes keys, as admin only, checking what it is given', async () => {
    const t = await openPersonalizeTestApp();
    const created = await t.makeKey({ traits: ['plan'] }, 'pages');
    expect(created.key).toMatch(/^pk_/);
    const list = await t.getJson<{ data: { id: string; name: string; revokedAt: string | null }[] }>(
      '/v1/publishable-keys',
    );
    expect(list.data).toMatchObject([{ id: created.id, name: 'pages', revokedAt: null }]);
    expect((await t.get('/v1/publishable-keys', null)).status).toBe(401);
    const bad = await t.send('POST', '/v1/publishable-keys', { name: 'x', origins: ['https://shop.example/path'] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/did you mean https:\/\/shop.example/);
    const badAudience = await t.send('POST', '/v1/publishable-keys', { name: 'x', audiences: ['VIP'] });
    expect(await badAudience.text()).toMatch(/aud_/);
    expect((await t.send('DELETE', '/v1/publishable-keys/pkey_000000000000', undefined)).status).toBe(404);
  });
});
