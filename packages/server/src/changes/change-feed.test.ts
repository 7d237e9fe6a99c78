import { describe, expect, it } from 'vitest';
import { at, type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';
import { feedSliceRows } from './change-feed.js';

interface FeedChange {
  id: string;
  type: string;
  contactId: string | null;
  at: string;
  data: Record<string, unknown>;
  cursor: string;
}
interface FeedPage {
  data: FeedChange[];
  cursor: string;
  hasMore: boolean;
}

async function feed(t: EngineContactsTestApp, query = ''): Promise<FeedPage> {
  return t.getJson<FeedPage>(`/v1/changes${query}`);
}

/** Every change from the start, page by page. */
async function everything(t: EngineContactsTestApp, types?: string): Promise<FeedChange[]> {
  const all: FeedChange[] = [];
  let cursor: string | undefined;
  for (;;) {
    const params = new URLSearchParams({ limit: '3' });
    if (cursor) params.set('after', cursor);
    if (types) params.set('types', types);
    const page = await feed(t, `?${params}`);
    all.push(...page.data);
    cursor = page.cursor;
    if (!page.hasMore) return all;
  }
}

describe('GET /v1/changes', () => {
  it('records a new contact once, with its identities and traits, and each event stored', async () => {
    const t = await openContactsTestApp();
    await t.seed({
      type: 'identify',
      userId: 'u1',
      anonymousId: 'a1',
      messageId: 'm1',
      timestamp: at(1),
      traits: { email: 'ada@example.com', plan: 'pro' },
    });
    const changes = await everything(t);
    expect(changes.map((change) => change.type)).toEqual(['contact.created', 'event.stored']);
    const [created, stored] = changes;
    expect(created).toMatchObject({
      contactId: await t.contactIdAt(1),
      data: {
        identities: [
          { type: 'user_id', value: 'u1' },
          { type: 'email', value: 'ada@example.com' },
          { type: 'anonymous_id', value: 'a1' },
        ],
        traits: { email: 'ada@example.com', plan: 'pro' },
        companies: [],
      },
    });
    expect(stored).toMatchObject({
      contactId: await t.contactIdAt(1),
      data: { messageId: 'm1', type: 'identify', name: null, contactId: await t.contactIdAt(1) },
    });
    expect(created?.id).toMatch(/^ch_\d+$/);
  });

  it('says which traits changed, old and new, and leaves out lastSeenAt and eventCount', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', timestamp: at(1), traits: { plan: 'free', seats: 2 } });
    const { cursor } = await feed(t);
    await t.seed(
      { type: 'track', userId: 'u1', event: 'Login', messageId: 'm2', timestamp: at(2) },
      { type: 'identify', userId: 'u1', timestamp: at(3), traits: { plan: 'pro', seats: 2 } },
    );
    const later = (await feed(t, `?after=${cursor}`)).data;
    expect(later.map((change) => change.type)).toEqual(['event.stored', 'contact.updated', 'event.stored']);
    expect(later[1]?.data).toEqual({ traits: { plan: { old: 'free', new: 'pro' } } });
  });

  it('records merges, the identifiers gained, and company changes', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', timestamp: at(1) });
    await t.seed({ type: 'identify', userId: 'u1', timestamp: at(2) });
    const { cursor } = await feed(t);
    await t.seed(
      { type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: at(3) },
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' }, timestamp: at(4) },
    );
    const later = (
      await feed(t, `?after=${cursor}&types=contact.merged,contact.identified,contact.updated,company.updated`)
    ).data;
    // a1's contact (the oldest) absorbed u1's.
    expect(later.map((change) => [change.type, change.contactId])).toEqual([
      ['contact.merged', await t.contactIdAt(1)],
      ['company.updated', null],
      ['contact.updated', await t.contactIdAt(1)],
    ]);
    expect(later[0]?.data).toEqual({ absorbed: [await t.contactIdAt(2)] });
    expect(later[1]?.data).toEqual({ groupId: 'acme', isNew: true, traits: { name: { old: null, new: 'Acme' } } });
    expect(later[2]?.data).toEqual({ companies: { added: ['acme'] } });
  });

  it('records what people do: create, edit, notes, merge', async () => {
    const t = await openContactsTestApp();
    await t.send('POST', '/v1/contacts', { email: 'grace@example.com', traits: { plan: 'pro' }, tags: ['conf'] });
    await t.send('PATCH', '/v1/contacts/email:grace@example.com', { owner: 'sam', traits: { plan: 'team' } });
    await t.send('POST', '/v1/contacts/email:grace@example.com/notes', { body: 'hello' });
    await t.send('POST', '/v1/contacts', { userId: 'u2', lifecycleStage: 'lead' });
    await t.send('POST', '/v1/contacts/merge', { primary: 'email:grace@example.com', secondary: 'user_id:u2' });
    const changes = await everything(t);
    expect(changes.map((change) => change.type)).toEqual([
      'contact.created',
      'contact.updated',
      'contact.updated',
      'contact.created',
      'contact.merged',
      'contact.updated',
    ]);
    expect(changes[0]?.data).toMatchObject({
      identities: [{ type: 'email', value: 'grace@example.com' }],
      traits: { plan: 'pro' },
      fields: { lifecycleStage: null, owner: null, tags: ['conf'] },
    });
    expect(changes[1]?.data).toEqual({
      fields: { owner: { old: null, new: 'sam' } },
      traits: { plan: { old: 'pro', new: 'team' } },
    });
    expect(changes[2]?.data).toEqual({ note: { id: expect.any(String), action: 'added' } });
    expect(changes[5]?.data).toEqual({ fields: { lifecycleStage: { old: null, new: 'lead' } } });
  });

  it('keeps nothing of an erased contact but one contact.deleted with its id', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'identify', userId: 'gone', timestamp: at(1), traits: { email: 'gone@example.com' } },
      { type: 'identify', userId: 'kept', timestamp: at(2) },
    );
    const erasedId = await t.contactIdAt(1);
    const keptId = await t.contactIdAt(2);
    await t.send('PATCH', '/v1/contacts/user_id:gone', { owner: 'sam' });
    await t.send('DELETE', '/v1/contacts/user_id:gone', undefined);
    const changes = await everything(t);
    expect(
      changes.filter((change) => change.contactId === erasedId).map((change) => [change.type, change.data]),
    ).toEqual([['contact.deleted', {}]]);
    expect(JSON.stringify(changes)).not.toContain('gone');
    expect(changes.filter((change) => change.contactId === keptId)).toHaveLength(2);
  });

  it('pages with cursors in commit order, filters by type, and answers head', async () => {
    const t = await openContactsTestApp();
    for (let i = 0; i < 4; i++) await t.seed({ type: 'identify', userId: `u${i}`, timestamp: at(i) });
    const all = await everything(t);
    expect(all).toHaveLength(8);
    expect(new Set(all.map((change) => change.id)).size).toBe(8);
    const seqs = all.map((change) => Number(change.id.slice(3)));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await everything(t, 'contact.created')).map((change) => change.type)).toEqual(
      Array(4).fill('contact.created'),
    );
    const { cursor } = await t.getJson<{ cursor: string }>('/v1/changes/head');
    expect((await feed(t, `?after=${cursor}`)).data).toEqual([]);
    await t.seed({ type: 'identify', userId: 'u9' });
    expect((await feed(t, `?after=${cursor}`)).data.map((change) => change.type)).toEqual([
      'contact.created',
      'event.stored',
    ]);
  });

  it.each([
    ['?limit=0', /^limit: /],
    ['?limit=1001', /^limit: /],
    ['?types=contact.exploded', /^types: unknown change type contact.exploded/],
    ['?after=not-a-cursor', /^cursor: /],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const t = await openContactsTestApp();
    const body = await t.getJson<{ error: { message: string } }>(`/v1/changes${query}`, 400);
    expect(body.error.message).toMatch(message);
  });

  it('refuses a token in the URL, and a request without the admin token', async () => {
    const t = await openContactsTestApp();
    expect((await t.get('/v1/changes', null)).status).toBe(401);
    expect((await t.get('/v1/changes', t.writeKey)).status).toBe(401);
    const inUrl = await t.get(`/v1/changes/stream?token=${t.adminToken}`, null);
    expect(inUrl.status).toBe(400);
    expect(await inUrl.json()).toMatchObject({ error: { code: 'token_in_url' } });
  });
});

describe('GET /v1/changes, pages longer than one read slice', () => {
  it('answers a page of up to 1,000 changes whole and in order, read in slices of feedSliceRows', async () => {
    const t = await openContactsTestApp();
    const events = Array.from({ length: 450 }, (_, n) => ({
      type: 'track',
      userId: 'u1',
      event: 'Viewed',
      messageId: `m${n}`,
      timestamp: at(1),
    }));
    await t.seed(...events);
    const all = await everything(t);
    const whole = await feed(t, '?limit=1000');
    expect(whole.hasMore).toBe(false);
    expect(whole.data.map((change) => change.id)).toEqual(all.map((change) => change.id));
    expect(whole.data.length).toBeGreaterThan(2 * feedSliceRows);
    const part = await feed(t, `?limit=${feedSliceRows + 7}`);
    expect(part.hasMore).toBe(true);
    expect(part.data.map((change) => change.id)).toEqual(all.slice(0, feedSliceRows + 7).map((change) => change.id));
    const rest = await feed(t, `?limit=1000&after=${encodeURIComponent(part.cursor)}`);
    expect(rest.data.map((change) => change.id)).toEqual(all.slice(feedSliceRows + 7).map((change) => change.id));
  });
});
