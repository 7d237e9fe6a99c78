import { describe, expect, it } from 'vitest';
import { at, type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** Ada, with events on two profiles merged by an identify, a note and an edit. */
async function withAda(): Promise<EngineContactsTestApp> {
  const t = await openContactsTestApp();
  await t.seed(
    { type: 'page', anonymousId: 'anon-1', name: 'Pricing', messageId: 'p1', timestamp: at(1) },
    { type: 'identify', userId: 'u1', anonymousId: 'anon-1', traits: { email: 'ada@example.com' }, timestamp: at(2) },
    { type: 'track', userId: 'u1', event: 'Paid', messageId: 't1', timestamp: at(3) },
    { type: 'identify', userId: 'u2', traits: { email: 'bob@example.com' }, messageId: 'b1', timestamp: at(4) },
  );
  await t.send('POST', '/v1/contacts/user_id:u1/notes', { body: 'asked for an invoice' });
  await t.send('PATCH', '/v1/contacts/user_id:u1', { owner: 'sam' });
  return t;
}

const count = async (t: EngineContactsTestApp, sql: string) =>
  Number((await t.query<{ n: number | string }>(sql.replace('count(*)', 'count(*) AS n')))[0]?.n);

async function metric(t: EngineContactsTestApp, name: string): Promise<number> {
  const text = await t.readMetrics();
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('DELETE /v1/contacts/{ref}', () => {
  it('erases the contact, its identifiers, events, notes and edits, and leaves others alone', async () => {
    const t = await withAda();
    const adaId = await t.contactIdAt(1);
    const response = await t.send('DELETE', '/v1/contacts/email:ada@example.com', undefined);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: adaId,
      erasedAt: iso(t.clock.time),
      profiles: 1,
      identifiers: 3,
      events: 3,
      notes: 1,
      suppressed: false,
    });
    expect((await t.get('/v1/contacts/user_id:u1')).status).toBe(404);
    expect((await t.get(`/v1/contacts/${adaId}`)).status).toBe(404);
    expect(await count(t, "SELECT count(*) FROM events WHERE message_id IN ('p1', 't1')")).toBe(0);
    expect(await count(t, 'SELECT count(*) FROM notes')).toBe(0);
    expect(await count(t, 'SELECT count(*) FROM manual_edits')).toBe(0);
    expect(await count(t, "SELECT count(*) FROM identifiers WHERE value IN ('u1', 'anon-1', 'ada@example.com')")).toBe(
      0,
    );
    // The tombstones are keyed hashes, one per identifier: no value is kept.
    const hashes = (await t.query<{ identifier_hash: string }>('SELECT identifier_hash FROM erasures')).map(
      (row) => row.identifier_hash,
    );
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Bob is untouched.
    expect(await t.getJson('/v1/contacts/user_id:u2')).toMatchObject({ eventCount: 1 });
    expect(await count(t, "SELECT count(*) FROM events WHERE message_id = 'b1'")).toBe(1);
  });

  it('erases the profiles merged into the contact too', async () => {
    const t = await openContactsTestApp();
    await t.seed(
      { type: 'identify', userId: 'u1', timestamp: at(1) },
      { type: 'identify', userId: 'u2', timestamp: at(2) },
    );
    await t.send('POST', '/v1/contacts/merge', { primary: 'user_id:u1', secondary: 'user_id:u2' });
    const [survivorId, absorbedId] = [await t.contactIdAt(1), await t.contactIdAt(2)];
    const response = await t.send('DELETE', `/v1/contacts/${absorbedId}`, undefined);
    expect(await response.json()).toMatchObject({ id: survivorId, profiles: 2, identifiers: 2, events: 2 });
    expect(await count(t, 'SELECT count(*) FROM profiles')).toBe(0);
    expect(await count(t, 'SELECT count(*) FROM merges')).toBe(0);
  });

  it('discards a retried or late event from before the erasure, and starts afresh for a newer one', async () => {
    const t = await withAda();
    const erasedId = await t.contactIdAt(1);
    await t.send('DELETE', '/v1/contacts/user_id:u1', undefined);
    // A retry of an erased event, and a late one stamped before the erasure: both acknowledged, neither stored.
    const late = await t.post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u1', event: 'Paid', messageId: 't1', timestamp: at(3) },
        { type: 'track', anonymousId: 'anon-1', event: 'Late', messageId: 'late', timestamp: at(30) },
      ],
    });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ success: true, rejected: [] });
    expect(await count(t, "SELECT count(*) FROM events WHERE message_id IN ('t1', 'late')")).toBe(0);
    expect((await t.get('/v1/contacts/user_id:u1')).status).toBe(404);
    expect(await metric(t, 'weft_events_discarded_erased_total')).toBe(2);

    // A newer event makes a new, empty contact: nothing of the old one comes back.
    t.clock.time += 60_000;
    await t.seed({ type: 'identify', userId: 'u1', messageId: 'new', timestamp: iso(t.clock.time - 1_000) });
    const fresh = await t.getJson<{ id: string; eventCount: number; traits: object; identities: unknown[] }>(
      '/v1/contacts/user_id:u1',
    );
    expect(fresh).toMatchObject({ eventCount: 1, traits: {}, owner: null });
    expect(fresh.id).not.toBe(erasedId);
    expect(fresh.identities).toHaveLength(1);
  });

  it('with suppress=true acknowledges and drops every later event for its identifiers, until lifted', async () => {
    const t = await withAda();
    const erased = await t.send('DELETE', '/v1/contacts/user_id:u1?suppress=true', undefined);
    expect(await erased.json()).toMatchObject({ suppressed: true });
    t.clock.time += 60_000;
    const later = iso(t.clock.time - 1_000);
    const response = await t.post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u1', event: 'Again', messageId: 's1', timestamp: later },
        { type: 'track', anonymousId: 'someone-else', event: 'Kept', messageId: 'k1', timestamp: later },
        { type: 'identify', anonymousId: 'x', traits: { email: 'ADA@example.com' }, messageId: 's2', timestamp: later },
      ],
    });
    expect(await response.json()).toMatchObject({ success: true, accepted: 3, rejected: [] });
    const kept = await t.query<{ message_id: string }>('SELECT message_id FROM events ORDER BY id');
    expect(kept.map((row) => row.message_id)).toEqual(['b1', 'k1']);
    expect(await metric(t, 'weft_events_discarded_suppressed_total')).toBe(2);

    const list = await t.getJson<{ data: { type: string; hash: string }[]; nextCursor: null }>('/v1/suppressions');
    expect(list.data.map((row) => row.type).sort()).toEqual(['anonymous_id', 'email', 'user_id']);
    expect(JSON.stringify(list)).not.toContain('ada@example.com');
    expect(list.nextCursor).toBeNull();

    expect((await t.send('DELETE', '/v1/suppressions/userId:u1', undefined)).status).toBe(204);
    expect((await t.send('DELETE', '/v1/suppressions/user_id:u1', undefined)).status).toBe(404);
    await t.seed({ type: 'track', userId: 'u1', event: 'Back', messageId: 's3', timestamp: later });
    expect(await count(t, "SELECT count(*) FROM events WHERE message_id = 's3'")).toBe(1);
  });

  it("never hands an erased contact's id to the next contact, which once got the same number", async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'first', traits: { email: 'first@example.com' } });
    const erasedId = ((await t.getJson('/v1/contacts/user_id:first')) as { id: string }).id;
    await t.send('DELETE', `/v1/contacts/${erasedId}`, undefined);
    await t.seed({ type: 'identify', userId: 'next', traits: { email: 'next@example.com' } });
    const next = (await t.getJson('/v1/contacts/user_id:next')) as { id: string };
    // SQLite gave the new profile the erased one's integer key; its contact id is its own.
    if (t.engine === 'sqlite')
      expect(await t.query('SELECT id FROM profiles WHERE public_id = ?', [next.id])).toEqual([{ id: 1 }]);
    expect(next.id).not.toBe(erasedId);
    expect((await t.get(`/v1/contacts/${erasedId}`)).status).toBe(404);
  });

  it('answers 400 for a bad ref, 404 for an unknown one and 401 without the admin token', async () => {
    const t = await withAda();
    expect((await t.send('DELETE', '/v1/contacts/nonsense', undefined)).status).toBe(400);
    expect((await t.send('DELETE', '/v1/contacts/user_id:ghost', undefined)).status).toBe(404);
    const badQuery = await t.send('DELETE', `/v1/contacts/${await t.contactIdAt(1)}?suppress=yes`, undefined);
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { error: { message: string } }).error.message).toContain('suppress');
    expect((await t.send('DELETE', `/v1/contacts/${await t.contactIdAt(1)}`, undefined, null)).status).toBe(401);
    expect((await t.send('DELETE', `/v1/contacts/${await t.contactIdAt(1)}`, undefined, t.writeKey)).status).toBe(401);
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toMatchObject({ eventCount: 3 });
  });
});

describe('/v1/suppressions', () => {
  it('pages with cursors and refuses bad input, unknown cursors and missing auth', async () => {
    const t = await openContactsTestApp();
    for (let i = 0; i < 3; i++) {
      await t.seed({ type: 'identify', userId: `u${i}`, timestamp: at(i) });
      t.clock.time += 1_000;
      await t.send('DELETE', `/v1/contacts/user_id:u${i}?suppress=true`, undefined);
    }
    const first = await t.getJson<{ data: unknown[]; nextCursor: string }>('/v1/suppressions?limit=2');
    expect(first.data).toHaveLength(2);
    const second = await t.getJson<{ data: unknown[]; nextCursor: null }>(
      `/v1/suppressions?limit=2&cursor=${first.nextCursor}`,
    );
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.data).toHaveLength(1);
    expect(new Set([...first.data, ...second.data].map((row) => JSON.stringify(row))).size).toBe(3);
    expect((await t.get('/v1/suppressions?limit=0')).status).toBe(400);
    expect((await t.get('/v1/suppressions?cursor=bogus')).status).toBe(400);
    expect((await t.get('/v1/suppressions', null)).status).toBe(401);
    expect((await t.send('DELETE', '/v1/suppressions/42', undefined)).status).toBe(400);
    expect((await t.send('DELETE', '/v1/suppressions/user_id:u0', undefined, null)).status).toBe(401);
  });
});

describe('GET /v1/contacts/{ref}/export', () => {
  it('answers everything stored about the contact', async () => {
    const t = await withAda();
    const response = await t.get('/v1/contacts/anonymous_id:anon-1/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="contact-${await t.contactIdAt(1)}.json"`,
    );
    const exported = (await response.json()) as {
      contact: { id: string; owner: string };
      events: { messageId: string; type: string }[];
      notes: { body: string }[];
      edits: { changes: unknown }[];
      profileIds: string[];
    };
    expect(exported.contact).toMatchObject({ id: await t.contactIdAt(1), owner: 'sam', email: 'ada@example.com' });
    expect(exported.events.map((event) => event.messageId)).toEqual(['p1', expect.any(String), 't1']);
    expect(exported.events[0]).toMatchObject({ type: 'page', name: 'Pricing', anonymousId: 'anon-1' });
    expect(exported.notes.map((note) => note.body)).toEqual(['asked for an invoice']);
    expect(exported.edits.map((edit) => edit.changes)).toEqual([{ owner: 'sam' }]);
    expect(exported.profileIds).toEqual([await t.contactIdAt(1)]);
  });

  it('answers 400, 404 and 401 like the other contact routes', async () => {
    const t = await withAda();
    expect((await t.get('/v1/contacts/:x/export')).status).toBe(400);
    expect((await t.get('/v1/contacts/email:nobody@example.com/export')).status).toBe(404);
    expect((await t.get(`/v1/contacts/${await t.contactIdAt(1)}/export`, null)).status).toBe(401);
  });
});
