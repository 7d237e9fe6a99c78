import { describe, expect, it } from 'vitest';
import type { EngineContactsTestApp } from './contact-test-kit.js';
import { at, openContactsTestApp } from './contact-test-kit.js';

interface Page {
  data: { id: string; email: string | null; name: string | null; lastSeenAt: string }[];
  nextCursor: string | null;
}

/** One identified person per call, last seen at `minute`. */
function person(t: EngineContactsTestApp, userId: string, minute: number, traits: Record<string, unknown> = {}) {
  return t.seed({ type: 'identify', userId, messageId: `id-${userId}`, timestamp: at(minute), traits });
}

async function pageThrough(t: EngineContactsTestApp, query: string, between: (page: number) => Promise<void>) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
    const body: Page = await t.getJson<Page>(`/v1/contacts?${query}${suffix}`);
    seen.push(...(await t.keysOf(body.data)));
    if (body.nextCursor === null) return seen;
    cursor = body.nextCursor;
    await between(page);
  }
  throw new Error('pagination never ended');
}

describe('GET /v1/contacts', () => {
  it('lists live contacts, most recently seen first, and says when there is no next page', async () => {
    const t = await openContactsTestApp();
    await person(t, 'u1', 10, { email: 'one@example.com' });
    await person(t, 'u2', 30);
    await person(t, 'u3', 20);
    const body = await t.getJson<Page>('/v1/contacts');
    expect(await t.keysOf(body.data)).toEqual(['2', '3', '1']);
    expect(body.data[2]).toMatchObject({ email: 'one@example.com', lastSeenAt: at(10) });
    expect(body.nextCursor).toBeNull();
  });

  it('never lists a merged-away profile, and finds the survivor by what it absorbed', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', timestamp: at(1) });
    await t.seed({ type: 'track', anonymousId: 'a2', event: 'X', context: { traits: { email: 'ada@example.com' } } });
    await person(t, 'u1', 2, { name: 'Ada' });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: at(3) });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a2', timestamp: at(4) });
    expect(await t.keysOf((await t.getJson<Page>('/v1/contacts')).data)).toEqual(['1']);
    const found = await t.getJson<Page>('/v1/contacts?sort=email&q=ada@');
    expect(found.data).toMatchObject([{ id: await t.contactIdAt(1), email: 'ada@example.com', name: 'Ada' }]);
  });

  it('sorts by email, ascending or descending', async () => {
    const t = await openContactsTestApp();
    await person(t, 'u1', 1, { email: 'b@example.com' });
    await person(t, 'u2', 2, { email: 'C@example.com' });
    await person(t, 'u3', 3, { email: 'a@example.com' });
    // No email trait: sorted by the email identifier it was seen with.
    await t.seed({ type: 'track', anonymousId: 'a4', event: 'X', context: { traits: { email: 'ab@example.com' } } });
    const ids = async (sort: string) =>
      (await t.getJson<Page>(`/v1/contacts?sort=${sort}`)).data.map((contact) => contact.email);
    expect(await ids('email')).toEqual(['a@example.com', 'ab@example.com', 'b@example.com', 'C@example.com']);
    expect(await ids('-email')).toEqual(['C@example.com', 'b@example.com', 'ab@example.com', 'a@example.com']);
  });

  it('finds contacts by a prefix of their email or name, ignoring case', async () => {
    const t = await openContactsTestApp();
    await person(t, 'u1', 1, { email: 'ada@example.com' });
    await person(t, 'u2', 2, { firstName: 'Adam', lastName: 'Smith' });
    await person(t, 'u3', 3, { name: 'Grace', email: 'grace@ada.org' });
    await person(t, 'u4', 4, { name: '100%_real' });
    const found = async (q: string) =>
      t.keysOf((await t.getJson<Page>(`/v1/contacts?sort=createdAt&q=${encodeURIComponent(q)}`)).data);
    expect(await found('ADA')).toEqual(['1', '2']);
    expect(await found('adam s')).toEqual(['2']);
    expect(await found('grace@')).toEqual(['3']);
    expect(await found('100%_')).toEqual(['4']);
    expect(await found('1%')).toEqual([]);
  });

  it.each(['-lastSeenAt', 'createdAt', 'email', '-email'])(
    'pages by %s without skipping or repeating a contact while others arrive',
    async (sort) => {
      const t = await openContactsTestApp();
      for (let i = 1; i <= 7; i += 1) {
        t.clock.time += 1000;
        await person(t, `old-${i}`, 100 + i * 10, { email: `m${i}@example.com` });
      }
      let arrivals = 0;
      const seen = await pageThrough(t, `sort=${sort}&limit=2`, async (page) => {
        if (page > 3) return; // an ascending createdAt list would otherwise never end
        // Newcomers land before the cursor, after it, and on a key an old contact already has.
        for (const [minute, email] of [
          [500, 'a-new@example.com'],
          [5, 'z-new@example.com'],
          [130, 'm3@example.org'],
        ] as const) {
          arrivals += 1;
          if (arrivals % 3 !== 0) t.clock.time += 1000; // every third one ties on createdAt
          await person(t, `new-${arrivals}`, minute, { email });
        }
      });
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ['1', '2', '3', '4', '5', '6', '7']) expect(seen).toContain(id);
      expect(arrivals).toBe(12);
    },
  );

  it('answers 400 naming limit when it is out of range or not an integer', async () => {
    const t = await openContactsTestApp();
    for (const limit of ['0', '501', '2.5', 'ten', '']) {
      const body = await t.getJson<{ error: { code: string; message: string } }>(`/v1/contacts?limit=${limit}`, 400);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(/^limit: /);
    }
    expect((await t.get('/v1/contacts?limit=500')).status).toBe(200);
  });

  it('answers 400 naming sort when it is unknown', async () => {
    const t = await openContactsTestApp();
    for (const sort of ['name', '--email', 'lastseenat']) {
      const body = await t.getJson<{ error: { message: string } }>(`/v1/contacts?sort=${sort}`, 400);
      expect(body.error.message).toMatch(/^sort: /);
    }
  });

  it('answers 400 to a cursor it did not issue, or issued for another sort', async () => {
    const t = await openContactsTestApp();
    for (let i = 1; i <= 3; i += 1) await person(t, `u${i}`, i);
    const { nextCursor } = await t.getJson<Page>('/v1/contacts?limit=1');
    expect(nextCursor).not.toBeNull();
    const tampered = `${nextCursor?.slice(0, -2)}x`;
    const forged = Buffer.from(JSON.stringify({ v: 1, s: '-lastSeenAt', k: 'x', i: 1 })).toString('base64url');
    // Well formed, with the MAC of the issued one: a place to start from that the server never gave.
    const moved = `${Buffer.from(JSON.stringify({ v: 1, s: '-lastSeenAt', k: 2, i: 2 })).toString('base64url')}.${nextCursor?.split('.')[1]}`;
    // Issued by another server (another database, another key).
    const other = await openContactsTestApp();
    await person(other, 'u1', 1);
    await person(other, 'u2', 2);
    const elsewhere = (await other.getJson<Page>('/v1/contacts?limit=1')).nextCursor;
    const refused = [tampered, forged, moved, elsewhere].map((cursor) => `cursor=${cursor}`);
    for (const query of [...refused, `sort=createdAt&cursor=${nextCursor}`]) {
      const body = await t.getJson(`/v1/contacts?limit=1&${query}`, 400);
      expect(body).toEqual({ error: { code: 'invalid_cursor', message: expect.stringMatching(/^cursor: /) } });
    }
  });
});
