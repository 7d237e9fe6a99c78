import { describe, expect, it } from 'vitest';
import type { ContactsTestApp } from '../../../contacts/contact-test-kit.js';
import { at, createContactsTestApp } from '../../../contacts/contact-test-kit.js';
import { search } from '../../../contacts/search-test-kit.js';
import { createContactQueries } from './contact-queries.js';
import { createContactSearch } from './contact-search.js';

function person(t: ContactsTestApp, userId: string, minute: number, team: string) {
  return t.seed({ type: 'identify', userId, timestamp: at(minute), traits: { team, email: `${userId}@example.com` } });
}

const teamA = [{ field: 'traits.team', op: 'eq', value: 'a' }];

async function errorOf(t: ContactsTestApp, body: unknown, token?: string | null) {
  const response = await t.send('POST', '/v1/contacts/search', body, token);
  return { status: response.status, ...((await response.json()) as { error: { code: string; message: string } }) };
}

describe('POST /v1/contacts/search: pages, totals, refusals', () => {
  it.each(['-lastSeenAt', 'email'])(
    'pages by %s through a filtered result without skipping or repeating, while contacts arrive',
    async (sort) => {
      const t = createContactsTestApp();
      for (let i = 1; i <= 9; i += 1) await person(t, `old${i}`, i * 10, i % 3 === 0 ? 'b' : 'a');
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const body = await search(t, { filters: teamA, sort, limit: 2, cursor });
        seen.push(...body.data.map((contact) => t.keyOf(contact.id)));
        expect(body.total.isEstimate).toBe(false);
        if (body.nextCursor === null) break;
        cursor = body.nextCursor;
        // Newcomers on both sides of the cursor and on a key an old contact has; some of team b.
        await person(t, `new${page}a`, 500 + page, 'a');
        await person(t, `new${page}b`, 45, page % 2 === 0 ? 'a' : 'b');
      }
      expect(new Set(seen).size).toBe(seen.length);
      // The six old team-a contacts (ids 1, 2, 4, 5, 7, 8), and no team-b contact ever.
      for (const id of ['1', '2', '4', '5', '7', '8']) expect(seen).toContain(id);
      for (const id of ['3', '6', '9']) expect(seen).not.toContain(id);
      const teams = t.db.prepare("SELECT id FROM profiles WHERE json_extract(traits, '$.team') = 'b'").all() as {
        id: number;
      }[];
      for (const { id } of teams) expect(seen).not.toContain(String(id));
    },
  );

  it('counts the whole match exactly, whichever page it answers', async () => {
    const t = createContactsTestApp();
    for (let i = 1; i <= 5; i += 1) await person(t, `u${i}`, i, i === 5 ? 'b' : 'a');
    const first = await search(t, { filters: teamA, limit: 3 });
    expect(first.total).toEqual({ value: 4, isEstimate: false });
    const second = await search(t, { filters: teamA, limit: 3, cursor: first.nextCursor });
    expect(second.data).toHaveLength(1);
    expect(second).toMatchObject({ nextCursor: null, total: { value: 4, isEstimate: false } });
  });

  it('stops counting past 10,000 and marks the total as an estimate', async () => {
    const t = createContactsTestApp();
    // Rows written directly: 10,001 identifies through /v1/batch would make a slow test.
    const insert = t.db.prepare(
      `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, event_count, created_at, updated_at) VALUES ('ct_' || lower(hex(randomblob(12))), 1, ?, 1, 1, 1)`,
    );
    t.db.transaction(() => {
      for (let i = 0; i < 10_001; i += 1) insert.run(i);
    })();
    const over = await search(t, { filters: [{ field: 'eventCount', op: 'eq', value: 1 }], limit: 1 });
    expect(over.total).toEqual({ value: 10_001, isEstimate: true });
    const exact = await search(t, {
      filters: [{ field: 'lastSeenAt', op: 'lt', value: new Date(10_000).toISOString() }],
    });
    expect(exact.total).toEqual({ value: 10_000, isEstimate: false });
  });

  it('takes its count limit as a parameter', async () => {
    const t = createContactsTestApp();
    for (let i = 1; i <= 4; i += 1) await person(t, `u${i}`, i, 'a');
    const search3 = createContactSearch(t.db, createContactQueries(t.db), undefined, 3);
    const body = { filters: teamA, sort: '-lastSeenAt' as const, limit: 1 };
    expect(search3.search(body).total).toEqual({ value: 4, isEstimate: true });
    expect(createContactSearch(t.db, createContactQueries(t.db), undefined, 4).search(body).total.isEstimate).toBe(
      false,
    );
  });

  it('answers 400 naming the filter, field or part that is wrong', async () => {
    const t = createContactsTestApp();
    const ok = { field: 'email', op: 'exists' };
    const refusals: [unknown, RegExp][] = [
      [{ filters: [ok, ok, { field: 'tags', op: 'gt', value: 'x' }] }, /^filters\[2\]\.op: /],
      [{ filters: [ok, { field: 'firstSeenAt', op: 'eq', value: 'yesterday' }] }, /^filters\[1\]\.value: /],
      [{ filters: [{ field: 'firstSeenAt', op: 'gt', value: '2026-02-30T25:00:00Z' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'lastSeenAt', op: 'gt', value: '2026-02-30' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'lastSeenAt', op: 'gt', value: 1767225600000 }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'email', op: 'in', value: 'a@example.com' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'owner', op: 'in', value: Array(101).fill('x') }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'owner', op: 'in', value: [] }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'email', op: 'exists', value: 'x' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'email', op: 'eq' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'email', op: 'like', value: 'x' }] }, /^filters\[0\]\.op: /],
      [{ filters: [{ field: 'phone', op: 'eq', value: 'x' }] }, /^filters\[0\]\.field: /],
      [{ filters: [{ field: 'traits.', op: 'exists' }] }, /^filters\[0\]\.field: /],
      [{ filters: [{ field: 'traits.a..b', op: 'exists' }] }, /^filters\[0\]\.field: /],
      [{ filters: [{ field: 'traits.$[0]', op: 'exists' }] }, /^filters\[0\]\.field: /],
      [{ filters: [{ field: 'lifecycleStage', op: 'eq', value: 'king' }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'lifecycleStage', op: 'contains', value: 'cust' }] }, /^filters\[0\]\.op: /],
      [{ filters: [{ field: 'eventCount', op: 'eq', value: 1.5 }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'eventCount', op: 'exists' }] }, /^filters\[0\]\.op: /],
      [{ filters: [{ field: 'traits.plan', op: 'eq', value: { a: 1 } }] }, /^filters\[0\]\.value: /],
      [{ filters: [{ field: 'traits.plan', op: 'gt', value: true }] }, /^filters\[0\]\.value: /],
      [{ filters: Array(21).fill(ok) }, /^filters: /],
      [{ filters: [{ ...ok, extra: 1 }] }, /^filters\.0: /],
      [{ limit: 501 }, /^limit: /],
      [{ sort: 'name' }, /^sort: /],
      [{ filters: 'email' }, /^filters: /],
    ];
    for (const [body, message] of refusals) {
      const answer = await errorOf(t, body);
      expect({ body, status: answer.status, code: answer.error.code }).toEqual({
        body,
        status: 400,
        code: 'invalid_request',
      });
      expect(answer.error.message).toMatch(message);
    }
  });

  it('refuses a cursor issued for another filter set or sort', async () => {
    const t = createContactsTestApp();
    for (let i = 1; i <= 3; i += 1) await person(t, `u${i}`, i, 'a');
    const { nextCursor } = await search(t, { filters: teamA, limit: 1 });
    expect(nextCursor).not.toBeNull();
    const teamB = [{ field: 'traits.team', op: 'eq', value: 'b' }];
    for (const body of [
      { filters: teamB, limit: 1, cursor: nextCursor },
      { filters: teamA, sort: 'lastSeenAt', limit: 1, cursor: nextCursor },
      { filters: [], limit: 1, cursor: nextCursor },
    ]) {
      const answer = await errorOf(t, body);
      expect(answer).toMatchObject({ status: 400, error: { code: 'invalid_cursor' } });
      expect(answer.error.message).toMatch(/^cursor: /);
    }
    // Nor does GET /v1/contacts take it.
    expect((await t.get(`/v1/contacts?limit=1&cursor=${nextCursor}`)).status).toBe(400);
  });

  it('answers 401 without the admin token or with another token', async () => {
    const t = createContactsTestApp();
    expect((await errorOf(t, {}, null)).status).toBe(401);
    expect((await errorOf(t, {}, 'adm_nope')).status).toBe(401);
    expect((await errorOf(t, {}, t.writeKey)).status).toBe(401);
  });
});
