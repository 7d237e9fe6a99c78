import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

describe('GET /v1/contacts/{ref}', () => {
  it('answers the contact built from its events, by id and by each identifier', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'page', anonymousId: 'a1', messageId: 'm1', timestamp: at(1) },
      {
        type: 'identify',
        anonymousId: 'a1',
        userId: 'u1',
        messageId: 'm2',
        timestamp: at(2),
        traits: { email: 'Ada@Example.com', firstName: 'Ada', lastName: 'Lovelace', title: 'Countess', plan: 'pro' },
      },
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' }, messageId: 'm3', timestamp: at(3) },
    );
    const contact = await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`);
    expect(contact).toMatchObject({
      id: await t.contactIdAt(1),
      email: 'Ada@Example.com',
      name: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      title: 'Countess',
      companies: [{ groupId: 'acme', name: 'Acme' }],
      lifecycleStage: null,
      owner: null,
      tags: [],
      traits: { plan: 'pro' },
      firstSeenAt: at(1),
      lastSeenAt: at(3),
      eventCount: 3,
      merges: [],
    });
    expect(contact).not.toHaveProperty('mergedFrom');
    expect(contact.identities).toEqual([
      { type: 'anonymous_id', value: 'a1', firstSeenAt: at(1) },
      { type: 'email', value: 'ada@example.com', firstSeenAt: at(2) },
      { type: 'user_id', value: 'u1', firstSeenAt: at(2) },
    ]);
    for (const ref of ['user_id:u1', 'userId:u1', 'anonymous_id:a1', 'email:%20ADA@example.COM%20']) {
      expect(await t.getJson(`/v1/contacts/${ref}`)).toEqual(contact);
    }
  });

  it('falls back to the first email identifier when no trait names one', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', context: { traits: { email: 'b@example.com' } } });
    const contact = await t.getJson<{ email: string; traits: object }>('/v1/contacts/anonymous_id:a1');
    expect(contact.email).toBe('b@example.com');
    expect(contact.traits).toEqual({});
  });

  it('answers the surviving contact for the id of a merged-away one, with mergedFrom', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', messageId: 'm1', timestamp: at(1) });
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'm2', timestamp: at(2) });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', messageId: 'link', timestamp: at(3) });
    // The oldest fragment (a1's, id 1) survives; u1's profile (id 2) was absorbed.
    const contact = await t.getJson(`/v1/contacts/${await t.contactIdAt(2)}`);
    expect(contact).toMatchObject({ id: await t.contactIdAt(1), mergedFrom: await t.contactIdAt(2), eventCount: 3 });
    expect(contact.merges).toEqual([{ absorbedId: await t.contactIdAt(2), messageId: 'link', at: expect.any(String) }]);
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).not.toHaveProperty('mergedFrom');
    expect(await t.getJson('/v1/contacts/user_id:u1')).toMatchObject({ id: await t.contactIdAt(1) });
  });

  it('logs the route pattern, never the email or id a ref carries', async () => {
    const app = await openContactsTestApp();
    await app.seed({ type: 'identify', userId: 'u-log', traits: { email: 'private@example.com' } });
    await app.getJson('/v1/contacts/email:private@example.com');
    const line = app.logLines.find((entry) => String(entry.path).startsWith('/v1/contacts'));
    expect(line?.path).toBe('/v1/contacts/:ref');
    expect(JSON.stringify(app.logLines)).not.toContain('private@example.com');
  });

  it('answers 404 when nothing matches', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    for (const ref of ['ct_000000000000000000000099', 'user_id:nobody', 'email:none@example.com', 'crm_id:u1']) {
      const body = await t.getJson(`/v1/contacts/${ref}`, 404);
      expect(body).toEqual({ error: { code: 'contact_not_found', message: expect.stringContaining(ref) } });
    }
  });

  it('refuses a numeric id of an earlier release, which could now name someone else, with 400', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const body = await t.getJson<{ error: { code: string; message: string } }>('/v1/contacts/1', 400);
    expect(body.error).toEqual({
      code: 'invalid_request',
      message: expect.stringMatching(/^ref: numeric contact ids are retired/),
    });
  });

  it('answers 400 naming ref when it is neither an id nor type:value', async () => {
    const t = await openContactsTestApp();
    const body = await t.getJson<{ error: { code: string; message: string } }>('/v1/contacts/ada', 400);
    expect(body.error).toEqual({ code: 'invalid_request', message: expect.stringMatching(/^ref: /) });
  });
});

describe('admin access to the contacts API', () => {
  // The contact seeded below is the first profile made, integer key 1.
  const paths = ['/v1/contacts', '/v1/contacts/{1}', '/v1/contacts/{1}/events', '/v1/contacts/user_id:u1/events'];

  it.each(paths)('refuses %s without a token, with an unknown or revoked one, or with a write key', async (pattern) => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const path = pattern.replace('{1}', await t.contactIdAt(1));
    const revoked = await t.store.credentials.create('admin_token');
    await t.store.credentials.revoke(revoked.credential.id);
    const attempts: [string | null, string][] = [
      [null, 'missing_admin_token'],
      ['adm_not-a-real-token', 'invalid_admin_token'],
      [revoked.secret, 'invalid_admin_token'],
      [t.writeKey, 'invalid_admin_token'],
    ];
    for (const [token, code] of attempts) {
      const response = await t.get(path, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    }
    expect((await t.get(path)).status).toBe(200);
  });

  it('refuses the write key sent the way SDKs send it (HTTP Basic)', async () => {
    const t = await openContactsTestApp();
    const basic = `Basic ${Buffer.from(`${t.writeKey}:`).toString('base64')}`;
    const response = await t.app.request('/v1/contacts', { headers: { Authorization: basic } });
    expect(response.status).toBe(401);
  });

  it('leaves the ingest routes to the write key', async () => {
    const t = await openContactsTestApp();
    expect((await t.post('/v1/track', { anonymousId: 'a1', event: 'X' })).status).toBe(200);
  });
});
