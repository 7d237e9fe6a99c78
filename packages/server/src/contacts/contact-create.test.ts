import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

type Contact = Record<string, unknown> & { id: string; traits: Record<string, unknown>; identities: unknown[] };
const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe('POST /v1/contacts', () => {
  it('creates a contact with its identifiers and fields, answering 201', async () => {
    const t = await openContactsTestApp();
    const response = await t.send('POST', '/v1/contacts', {
      email: '  Grace@Example.COM ',
      userId: 'u7',
      traits: { firstName: 'Grace', lastName: 'Hopper', plan: 'pro' },
      lifecycleStage: 'lead',
      owner: 'sam',
      tags: ['conf', 'conf'],
    });
    expect(response.status).toBe(201);
    const contact = (await response.json()) as Contact;
    expect(contact).toMatchObject({
      id: await t.contactIdAt(1),
      email: 'grace@example.com',
      name: 'Grace Hopper',
      lifecycleStage: 'lead',
      owner: 'sam',
      tags: ['conf'],
      traits: { firstName: 'Grace', lastName: 'Hopper', plan: 'pro' },
      eventCount: 0,
      firstSeenAt: iso(t.clock.time),
      createdAt: iso(t.clock.time),
    });
    expect(contact.identities).toEqual([
      { type: 'email', value: 'grace@example.com', firstSeenAt: iso(t.clock.time) },
      { type: 'user_id', value: 'u7', firstSeenAt: iso(t.clock.time) },
    ]);
    expect(await t.getJson('/v1/contacts/email:grace@example.com')).toEqual(contact);
    const listed = await t.getJson<{ data: Contact[] }>('/v1/contacts?sort=email&q=grace');
    expect(listed.data.map((c) => c.id)).toEqual([await t.contactIdAt(1)]);
  });

  it('is joined by later events carrying its email or userId, which override its traits when newer', async () => {
    const t = await openContactsTestApp();
    await t.send('POST', '/v1/contacts', { email: 'grace@example.com', traits: { plan: 'pro' } });
    await t.send('POST', '/v1/contacts', { userId: 'u8' });
    t.clock.time += 60_000;
    await t.seed(
      { type: 'track', anonymousId: 'a1', event: 'Read', context: { traits: { email: 'GRACE@example.com' } } },
      { type: 'identify', userId: 'u8', messageId: 'm2', traits: { plan: 'team' } },
      { type: 'identify', anonymousId: 'a9', traits: { email: 'grace@example.com', plan: 'free' }, timestamp: at(1) },
    );
    const grace = await t.getJson<Contact>(`/v1/contacts/${await t.contactIdAt(1)}`);
    expect(grace).toMatchObject({ eventCount: 2, traits: { plan: 'pro', email: 'grace@example.com' } });
    expect(grace.identities).toHaveLength(3);
    expect(await t.getJson('/v1/contacts/user_id:u8')).toMatchObject({
      id: await t.contactIdAt(2),
      eventCount: 1,
      traits: { plan: 'team' },
    });
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts')).data).toHaveLength(2);
  });

  it('answers 409 contact_exists with the existing id when the email or userId is taken', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', traits: { email: 'ada@example.com' } });
    for (const body of [{ email: ' ADA@example.com' }, { userId: 'u1' }, { email: 'new@example.com', userId: 'u1' }]) {
      const response = await t.send('POST', '/v1/contacts', body);
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({
        error: { code: 'contact_exists', message: expect.stringContaining(await t.contactIdAt(1)) },
        existingId: await t.contactIdAt(1),
      });
    }
    // Nothing half-made: new@example.com did not get a profile.
    expect((await t.get('/v1/contacts/email:new@example.com')).status).toBe(404);
  });

  it.each([
    [{}, /^email, userId: /],
    [{ traits: { plan: 'pro' } }, /^email, userId: /],
    [{ email: 'not-an-email' }, /^email: /],
    [{ userId: '   ' }, /^userId: /],
    [{ userId: 'anonymous' }, /^userId: not usable as an identifier/],
    [{ userId: '"null"' }, /^userId: not usable as an identifier/],
    [{ userId: 'u1', lifecycleStage: 'vip' }, /^lifecycleStage: /],
    [{ userId: 'u1', id: '4' }, /"id"/],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const t = await openContactsTestApp();
    const response = await t.send('POST', '/v1/contacts', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringMatching(message) },
    });
  });

  it('refuses a missing or wrong token, or a write key, with 401', async () => {
    const t = await openContactsTestApp();
    for (const token of [null, 'adm_nope', t.writeKey]) {
      expect((await t.send('POST', '/v1/contacts', { userId: 'u1' }, token)).status).toBe(401);
    }
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts')).data).toEqual([]);
  });
});

describe('text with a lone UTF-16 surrogate', () => {
  it('is refused on every write route, naming the field, and nothing is written', async () => {
    const t = await openContactsTestApp();
    await t.send('POST', '/v1/contacts', { userId: 'u1' });
    // JSON text with the escape itself: JSON.stringify would keep a lone surrogate as \ud800 too.
    for (const [method, path, body, field] of [
      ['POST', '/v1/contacts', '{"userId":"n\\ud800"}', 'userId'],
      ['PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, '{"owner":"o\\udfff"}', 'owner'],
      ['PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, '{"tags":["ok","t\\ud800"]}', 'tags.1'],
      ['POST', `/v1/contacts/${await t.contactIdAt(1)}/notes`, '{"body":"b\\ud800"}', 'body'],
    ] as const) {
      const response = await t.send(method, path, body);
      expect(response.status, `${method} ${path} ${body}`).toBe(400);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toContain(`${field}: contains a lone UTF-16 surrogate`);
    }
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toMatchObject({ owner: null, tags: [] });
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts')).data).toHaveLength(1);
    // A real pair (an emoji) is fine.
    expect((await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, '{"owner":"\\ud83d\\ude00"}')).status).toBe(
      200,
    );
  });
});

describe('a body that is not JSON', () => {
  it('answers 400 malformed_json, the code ingest uses', async () => {
    const t = await openContactsTestApp();
    for (const [method, path] of [
      ['POST', '/v1/contacts'],
      ['POST', '/v1/contacts/search'],
      ['POST', '/v1/contacts/merge'],
    ] as const) {
      const response = await t.send(method, path, '{"email": ');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'malformed_json', message: 'body: not valid JSON' } });
    }
  });
});
