import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

type Contact = Record<string, unknown> & { traits: Record<string, unknown> };
const iso = (epochMs: number) => new Date(epochMs).toISOString();

async function seeded() {
  const t = await openContactsTestApp();
  await t.seed({
    type: 'identify',
    userId: 'u1',
    messageId: 'm1',
    timestamp: at(1),
    traits: { email: 'ada@example.com', name: 'Ada', plan: 'free' },
  });
  return t;
}

describe('PATCH /v1/contacts/{ref}', () => {
  it('sets lifecycleStage, owner, tags and traits, and answers the updated contact', async () => {
    const t = await seeded();
    const response = await t.send('PATCH', '/v1/contacts/user_id:u1', {
      lifecycleStage: 'customer',
      owner: ' sam@weft.dev ',
      tags: ['vip', 'beta', 'vip'],
      traits: { plan: 'pro', name: 'Ada Lovelace' },
    });
    expect(response.status).toBe(200);
    const contact = (await response.json()) as Contact;
    expect(contact).toMatchObject({
      id: await t.contactIdAt(1),
      lifecycleStage: 'customer',
      owner: 'sam@weft.dev',
      tags: ['vip', 'beta'],
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      updatedAt: iso(t.clock.time),
    });
    expect(contact.traits).toEqual({ email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' });
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toEqual(contact);
    // Stored as identity stores traits, with the edit's stamp; the name trigger saw the update.
    const [row] = await t.query<{ trait_stamps: string; contact_name: string }>(
      'SELECT trait_stamps, contact_name FROM profiles WHERE public_id = ?',
      [await t.contactIdAt(1)],
    );
    expect(JSON.parse(row?.trait_stamps ?? '{}')).toMatchObject({
      plan: [t.clock.time, 'manual:000000000001'],
      email: [Date.parse(at(1)), 'm1'],
    });
    expect(row?.contact_name).toBe('Ada Lovelace');
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts?q=ada%20love')).data).toHaveLength(1);
  });

  it('leaves out fields it is not sent, clears those sent as null, and keeps other traits', async () => {
    const t = await seeded();
    await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, {
      lifecycleStage: 'lead',
      owner: 'sam',
      tags: ['a'],
    });
    const response = await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, {
      owner: null,
      traits: { plan: null },
    });
    expect(await response.json()).toMatchObject({
      lifecycleStage: 'lead',
      owner: null,
      tags: ['a'],
      traits: { email: 'ada@example.com', name: 'Ada', plan: null },
    });
  });

  it('edits the survivor when the ref names a merged-away profile', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', timestamp: at(1) });
    await t.seed({ type: 'identify', userId: 'u1', timestamp: at(2) });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: at(3) });
    const response = await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(2)}`, { tags: ['merged'] });
    expect(await response.json()).toMatchObject({
      id: await t.contactIdAt(1),
      mergedFrom: await t.contactIdAt(2),
      tags: ['merged'],
    });
  });
});

describe('a trait edited by a person, then events', () => {
  it('is overridden by an event timestamped after the edit', async () => {
    const t = await seeded();
    await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, { traits: { plan: 'enterprise' } });
    const later = t.clock.time + 60_000;
    t.clock.time = later + 1000;
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'm2', timestamp: iso(later), traits: { plan: 'team' } });
    const contact = await t.getJson<Contact>(`/v1/contacts/${await t.contactIdAt(1)}`);
    expect(contact.traits.plan).toBe('team');
  });

  it('survives a late-arriving event timestamped before the edit', async () => {
    const t = await seeded();
    await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, { traits: { plan: 'enterprise' } });
    t.clock.time += 60_000;
    // Sent (or delivered) late: its timestamp is older than the edit, so the edit stays.
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'm3', timestamp: at(5), traits: { plan: 'team', x: 1 } });
    const contact = await t.getJson<Contact>(`/v1/contacts/${await t.contactIdAt(1)}`);
    expect(contact.traits).toMatchObject({ plan: 'enterprise', x: 1 });
  });

  it('keeps a cleared trait cleared against an older event', async () => {
    const t = await seeded();
    await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, { traits: { plan: null } });
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'm4', timestamp: at(6), traits: { plan: 'team' } });
    expect((await t.getJson<Contact>(`/v1/contacts/${await t.contactIdAt(1)}`)).traits.plan).toBeNull();
  });
});

describe('a trait an event stamped ahead of the clock', () => {
  it('cannot be frozen by a far-future timestamp: ingest clamps it, the edit then wins, later events win', async () => {
    const t = await seeded();
    await t.seed({
      type: 'identify',
      userId: 'u1',
      messageId: 'poison',
      timestamp: '9999-12-31T00:00:00.000Z',
      traits: { name: 'Poisoned' },
    });
    t.clock.time += 1000;
    const edited = await t.send('PATCH', '/v1/contacts/user_id:u1', { traits: { name: 'Ada Lovelace' } });
    expect(((await edited.json()) as Contact).traits.name).toBe('Ada Lovelace');
    t.clock.time += 60_000;
    await t.seed({
      type: 'identify',
      userId: 'u1',
      messageId: 'm9',
      timestamp: iso(t.clock.time),
      traits: { name: 'Ada L.' },
    });
    expect((await t.getJson<Contact>('/v1/contacts/user_id:u1')).traits.name).toBe('Ada L.');
  });

  it('takes an edit made while the event is still ahead, within the tolerance', async () => {
    const t = await seeded();
    const nineMinutesAhead = t.clock.time + 9 * 60_000;
    await t.seed({
      type: 'identify',
      userId: 'u1',
      messageId: 'ahead',
      timestamp: iso(nineMinutesAhead),
      traits: { plan: 'ahead' },
    });
    expect((await t.getJson<Contact>('/v1/contacts/user_id:u1')).traits.plan).toBe('ahead');
    const edited = await t.send('PATCH', '/v1/contacts/user_id:u1', { traits: { plan: 'edited' } });
    expect(((await edited.json()) as Contact).traits.plan).toBe('edited');
    // An event stamped at the same instant as the one ahead does not undo the edit; one after it does.
    const tie = { type: 'identify', userId: 'u1', timestamp: iso(nineMinutesAhead), traits: { plan: 'tie' } };
    await t.seed({ ...tie, messageId: 'zzzz-sorts-last' });
    expect((await t.getJson<Contact>('/v1/contacts/user_id:u1')).traits.plan).toBe('edited');
    t.clock.time = nineMinutesAhead + 1000;
    await t.seed({ ...tie, messageId: 'after', timestamp: iso(nineMinutesAhead + 500), traits: { plan: 'after' } });
    expect((await t.getJson<Contact>('/v1/contacts/user_id:u1')).traits.plan).toBe('after');
  });
});

describe('PATCH /v1/contacts/{ref} with a __proto__ trait', () => {
  it('drops the key, leaving traits and prototypes alone', async () => {
    const t = await seeded();
    const response = await t.send(
      'PATCH',
      `/v1/contacts/${await t.contactIdAt(1)}`,
      '{"traits":{"__proto__":{"polluted":1},"ok":2}}',
    );
    const contact = (await response.json()) as Contact;
    expect(contact.traits).toEqual({ email: 'ada@example.com', name: 'Ada', plan: 'free', ok: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('PATCH /v1/contacts/{ref} refuses', () => {
  it.each([
    [{ lifecycleStage: 'champion' }, /^lifecycleStage: /],
    [{ owner: '' }, /^owner: /],
    [{ tags: ['ok', ' '] }, /^tags\.1: /],
    [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, /^tags: /],
    [{ traits: ['not', 'an', 'object'] }, /^traits: /],
    // Found by the write fuzz: the empty key made the field read "traits.".
    [{ traits: { '': 1 } }, /^traits: key "" refused: /],
    [{ lifecycle_stage: 'lead' }, /lifecycle_stage/],
    [{}, /^body: /],
  ])('%j with 400 naming the field', async (body, message) => {
    const t = await seeded();
    const response = await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error).toEqual({ code: 'invalid_request', message: expect.stringMatching(message) });
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toMatchObject({ lifecycleStage: null, tags: [] });
  });

  it('an unknown ref with 404', async () => {
    const t = await seeded();
    const response = await t.send('PATCH', '/v1/contacts/user_id:nobody', { tags: ['x'] });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'contact_not_found' } });
  });

  it('a missing or wrong token, or a write key, with 401', async () => {
    const t = await seeded();
    for (const token of [null, 'adm_nope', t.writeKey]) {
      expect((await t.send('PATCH', `/v1/contacts/${await t.contactIdAt(1)}`, { tags: ['x'] }, token)).status).toBe(
        401,
      );
    }
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toMatchObject({ tags: [] });
  });
});

describe('traits people write follow the ingest rules for JSON', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it.each([
    ['PATCH', '/v1/contacts/user_id:u1', ''],
    ['POST', '/v1/contacts', '"email":"new@example.com",'],
  ])(
    '%s %s answers 400 naming traits for nesting past 64 levels, at 1,000 and 20,000 too',
    async (method, path, extra) => {
      const t = await seeded();
      for (const depth of [64, 1000, 20_000]) {
        const response = await t.send(method, path, `{${extra}"traits":{"deep":${nested(depth)}}}`);
        expect(response.status, `depth ${depth}`).toBe(400);
        expect(await response.json()).toEqual({
          error: { code: 'invalid_request', message: 'traits: nested deeper than 64 levels' },
        });
      }
      // 62 levels inside traits (the body 1, traits 2): at the limit, accepted.
      const response = await t.send(method, path, `{${extra}"traits":{"deep":${nested(62)}}}`);
      expect(response.status).toBeLessThan(300);
    },
  );

  it('answers 400 naming a trait holding a number JSON gives as infinite', async () => {
    const t = await seeded();
    const response = await t.send('PATCH', '/v1/contacts/user_id:u1', '{"traits":{"score":{"max":1e999}}}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: 'traits.score.max: a number too large to store (such as 1e999)' },
    });
  });
});
