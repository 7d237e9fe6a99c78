import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

interface NotePage {
  data: { id: string; contactId: string; body: string; author: string | null; createdAt: string }[];
  nextCursor: string | null;
}

const bodies = (page: NotePage) => page.data.map((note) => note.body);

describe('POST /v1/contacts/{ref}/notes', () => {
  it('writes a note and answers it with 201', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const response = await t.send('POST', '/v1/contacts/user_id:u1/notes', {
      body: 'Called, wants a demo',
      author: 'sam',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: '1',
      contactId: await t.contactIdAt(1),
      body: 'Called, wants a demo',
      author: 'sam',
      createdAt: new Date(t.clock.time).toISOString(),
      updatedAt: null,
    });
    const anonymous = await t.send('POST', `/v1/contacts/${await t.contactIdAt(1)}/notes`, {
      body: 'x'.repeat(10_000),
    });
    expect(await anonymous.json()).toMatchObject({ id: '2', author: null });
  });

  it.each([
    [{}, /^body: /],
    [{ body: '' }, /^body: /],
    [{ body: 'x'.repeat(10_001) }, /^body: /],
    [{ body: 'ok', author: '' }, /^author: /],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const response = await t.send('POST', `/v1/contacts/${await t.contactIdAt(1)}/notes`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringMatching(message) },
    });
  });

  it('answers 404 for an unknown ref and 401 without the admin token', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    expect((await t.send('POST', `/v1/contacts/ct_000000000000000000000007/notes`, { body: 'hi' })).status).toBe(404);
    expect((await t.get(`/v1/contacts/ct_000000000000000000000007/notes`)).status).toBe(404);
    for (const token of [null, 'adm_nope', t.writeKey]) {
      expect((await t.send('POST', `/v1/contacts/${await t.contactIdAt(1)}/notes`, { body: 'hi' }, token)).status).toBe(
        401,
      );
      expect((await t.get(`/v1/contacts/${await t.contactIdAt(1)}/notes`, token)).status).toBe(401);
    }
  });
});

describe('GET /v1/contacts/{ref}/notes', () => {
  it('lists notes newest first, a page at a time, including those of merged-away profiles', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', timestamp: at(1) });
    await t.seed({ type: 'identify', userId: 'u1', timestamp: at(2) });
    for (const [key, body] of [
      [1, 'first'],
      [2, 'on u1'],
      [1, 'third'],
    ] as const) {
      t.clock.time += 1000;
      await t.send('POST', `/v1/contacts/${await t.contactIdAt(key)}/notes`, { body });
    }
    // Two notes in the same millisecond: the later one (larger id) comes first.
    await t.send('POST', `/v1/contacts/${await t.contactIdAt(2)}/notes`, { body: 'same ms' });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: at(3) });

    const first = await t.getJson<NotePage>('/v1/contacts/user_id:u1/notes?limit=3');
    expect(bodies(first)).toEqual(['same ms', 'third', 'on u1']);
    expect(first.data[2]?.contactId).toBe(await t.contactIdAt(2));
    const rest = await t.getJson<NotePage>(
      `/v1/contacts/${await t.contactIdAt(2)}/notes?limit=3&cursor=${first.nextCursor}`,
    );
    expect(bodies(rest)).toEqual(['first']);
    expect(rest.nextCursor).toBeNull();
    expect(bodies(await t.getJson<NotePage>(`/v1/contacts/${await t.contactIdAt(1)}/notes`))).toHaveLength(4);
  });

  it('refuses a bad limit or a cursor of another list with 400', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    await t.seed({ type: 'track', userId: 'u1', event: 'X' });
    const events = await t.getJson<{ nextCursor: string }>(`/v1/contacts/${await t.contactIdAt(1)}/events?limit=1`);
    const badLimit = await t.getJson<{ error: { message: string } }>(
      `/v1/contacts/${await t.contactIdAt(1)}/notes?limit=0`,
      400,
    );
    expect(badLimit.error.message).toMatch(/^limit: /);
    const badCursor = await t.getJson<{ error: { code: string } }>(
      `/v1/contacts/${await t.contactIdAt(1)}/notes?cursor=${events.nextCursor}`,
      400,
    );
    expect(badCursor.error.code).toBe('invalid_cursor');
  });
});

describe('contact writes', () => {
  it('refuse a body over 64 KiB with 413', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const response = await t.send('POST', `/v1/contacts/${await t.contactIdAt(1)}/notes`, { body: 'x'.repeat(70_000) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
});

describe('PATCH /v1/contacts/{ref}/notes/{noteId}', () => {
  it("replaces a note's text, stamps updatedAt, and lists the new text", async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const note = (await (await t.send('POST', '/v1/contacts/user_id:u1/notes', { body: 'first draft' })).json()) as {
      id: string;
      createdAt: string;
    };
    t.clock.time += 5_000;
    const response = await t.send('PATCH', `/v1/contacts/user_id:u1/notes/${note.id}`, { body: 'final text' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: note.id,
      body: 'final text',
      createdAt: note.createdAt,
      updatedAt: new Date(t.clock.time).toISOString(),
    });
    expect(bodies(await t.getJson<NotePage>('/v1/contacts/user_id:u1/notes'))).toEqual(['final text']);
  });

  it('edits a note written on a profile since merged into the contact, and no note of another contact', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'identify', userId: 'u1' },
      { type: 'identify', userId: 'u2' },
      { type: 'identify', userId: 'u3' },
    );
    const onU2 = (await (await t.send('POST', '/v1/contacts/user_id:u2/notes', { body: 'on u2' })).json()) as {
      id: string;
    };
    await t.send('POST', '/v1/contacts/merge', { primary: 'user_id:u1', secondary: 'user_id:u2' });
    expect((await t.send('PATCH', `/v1/contacts/user_id:u1/notes/${onU2.id}`, { body: 'edited' })).status).toBe(200);
    const elsewhere = await t.send('PATCH', `/v1/contacts/user_id:u3/notes/${onU2.id}`, { body: 'hijack' });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: { code: 'note_not_found' } });
    expect(bodies(await t.getJson<NotePage>('/v1/contacts/user_id:u1/notes'))).toEqual(['edited']);
  });

  it.each([
    ['a body that is not text', { body: 5 }, 'body'],
    ['an empty body', { body: '' }, 'body'],
    ['a note id that is not a number', 'x', 'noteId'],
  ])('answers 400 naming the field for %s', async (_label, body, field) => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1' });
    const path = body === 'x' ? '/v1/contacts/user_id:u1/notes/x' : '/v1/contacts/user_id:u1/notes/1';
    const response = await t.send('PATCH', path, body === 'x' ? { body: 'ok' } : body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      new RegExp(`^${field}: `),
    );
  });
});
