import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

interface EventPage {
  data: { messageId: string; type: string; timestamp: string; receivedAt: string; event?: string }[];
  nextCursor: string | null;
}

const ids = (page: EventPage) => page.data.map((event) => event.messageId);

describe('GET /v1/contacts/{ref}/events', () => {
  it('answers the events as stored, newest first, ties in arrival order reversed', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'page', anonymousId: 'a1', name: 'Home', messageId: 'm1', timestamp: at(1) },
      { type: 'track', anonymousId: 'a1', event: 'Signed Up', messageId: 'm3', timestamp: at(3) },
      { type: 'track', anonymousId: 'a1', event: 'Clicked', messageId: 'm2a', timestamp: at(2) },
      { type: 'track', anonymousId: 'a1', event: 'Clicked', messageId: 'm2b', timestamp: at(2) },
      { type: 'track', anonymousId: 'someone-else', event: 'X', messageId: 'other', timestamp: at(4) },
    );
    const page = await t.getJson<EventPage>('/v1/contacts/anonymous_id:a1/events');
    expect(ids(page)).toEqual(['m3', 'm2b', 'm2a', 'm1']);
    expect(page.data[0]).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      timestamp: at(3),
      receivedAt: expect.any(String),
    });
    expect(page.nextCursor).toBeNull();
  });

  it("includes the events of profiles merged into the contact, by either one's id", async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'Browsed', messageId: 'anon', timestamp: at(1) });
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'known', timestamp: at(2) });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', messageId: 'link', timestamp: at(3) });
    // 'known' is still attached to profile 2, which was merged into profile 1.
    const [stored] = await t.query<{ public_id: string }>(
      "SELECT p.public_id FROM events AS e JOIN profiles AS p ON p.id = e.profile_id WHERE e.message_id = 'known'",
    );
    expect(stored?.public_id).toBe(await t.contactIdAt(2));
    for (const ref of [await t.contactIdAt(1), await t.contactIdAt(2), 'user_id:u1']) {
      expect(ids(await t.getJson<EventPage>(`/v1/contacts/${ref}/events`))).toEqual(['link', 'known', 'anon']);
    }
  });

  it('filters by type and by event name', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'page', userId: 'u1', name: 'Pricing', messageId: 'p1', timestamp: at(1) },
      { type: 'track', userId: 'u1', event: 'Paid', messageId: 't1', timestamp: at(2) },
      { type: 'track', userId: 'u1', event: 'Clicked', messageId: 't2', timestamp: at(3) },
    );
    expect(ids(await t.getJson<EventPage>('/v1/contacts/user_id:u1/events?type=track'))).toEqual(['t2', 't1']);
    expect(ids(await t.getJson<EventPage>('/v1/contacts/user_id:u1/events?event=Paid'))).toEqual(['t1']);
    expect(ids(await t.getJson<EventPage>('/v1/contacts/user_id:u1/events?type=page&event=Pricing'))).toEqual(['p1']);
    expect(ids(await t.getJson<EventPage>('/v1/contacts/user_id:u1/events?type=page&event=Paid'))).toEqual([]);
  });

  it('pages with a cursor, keeping its place while newer events arrive', async () => {
    const t = await openContactsTestApp();
    for (let i = 1; i <= 5; i += 1) {
      await t.seed({ type: 'track', userId: 'u1', event: 'X', messageId: `m${i}`, timestamp: at(i) });
    }
    const first = await t.getJson<EventPage>('/v1/contacts/user_id:u1/events?limit=2');
    expect(ids(first)).toEqual(['m5', 'm4']);
    await t.seed({ type: 'track', userId: 'u1', event: 'X', messageId: 'newest', timestamp: at(10) });
    const second = await t.getJson<EventPage>(`/v1/contacts/user_id:u1/events?limit=2&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual(['m3', 'm2']);
    const third = await t.getJson<EventPage>(`/v1/contacts/user_id:u1/events?limit=2&cursor=${second.nextCursor}`);
    expect(ids(third)).toEqual(['m1']);
    expect(third.nextCursor).toBeNull();
  });

  it('answers 400 naming limit or cursor when they are bad', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', userId: 'u1', event: 'X' });
    // A cursor of the contacts list means nothing here.
    const contactCursor = Buffer.from(JSON.stringify({ v: 1, s: '-lastSeenAt', k: 1, i: 1 })).toString('base64url');
    const cases: [string, RegExp][] = [
      ['limit=501', /^limit: /],
      ['limit=-1', /^limit: /],
      ['cursor=bogus!', /^cursor: /],
      [`cursor=${contactCursor}`, /^cursor: /],
    ];
    for (const [query, message] of cases) {
      const body = await t.getJson<{ error: { message: string } }>(`/v1/contacts/user_id:u1/events?${query}`, 400);
      expect(body.error.message).toMatch(message);
    }
  });

  it('answers 404 for an unknown contact', async () => {
    const t = await openContactsTestApp();
    const body = await t.getJson('/v1/contacts/user_id:nobody/events', 404);
    expect(body).toEqual({ error: { code: 'contact_not_found', message: expect.any(String) } });
  });
});
