import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from '../contacts/contact-test-kit.js';
import { search } from '../contacts/search-test-kit.js';

interface CompanyPage {
  data: { groupId: string; name: string | null; lastSeenAt: string }[];
  nextCursor: string | null;
}

const groupIds = (page: CompanyPage) => page.data.map((company) => company.groupId);

async function seeded() {
  const t = await openContactsTestApp();
  await t.seed(
    { type: 'identify', userId: 'u1', traits: { email: 'Ada@Example.com', name: 'Ada' }, timestamp: at(1) },
    { type: 'group', userId: 'u1', groupId: 'globex', traits: { name: 'Globex' }, timestamp: at(2) },
    { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme', seats: 5 }, timestamp: at(5) },
    { type: 'group', anonymousId: 'a2', groupId: 'acme', traits: { seats: 7 }, timestamp: at(3) },
    { type: 'group', userId: 'u3', groupId: 'initech', timestamp: at(4) },
  );
  return t;
}

describe('GET /v1/companies', () => {
  it('lists companies by -lastSeenAt by default, or by groupId, a page at a time', async () => {
    const t = await seeded();
    const recent = await t.getJson<CompanyPage>('/v1/companies');
    expect(groupIds(recent)).toEqual(['acme', 'initech', 'globex']);
    expect(recent.data[0]).toEqual({
      groupId: 'acme',
      name: 'Acme',
      traits: { name: 'Acme', seats: 5 },
      firstSeenAt: at(3),
      lastSeenAt: at(5),
    });
    expect(recent.nextCursor).toBeNull();

    const first = await t.getJson<CompanyPage>('/v1/companies?sort=groupId&limit=2');
    expect(groupIds(first)).toEqual(['acme', 'globex']);
    const rest = await t.getJson<CompanyPage>(`/v1/companies?sort=groupId&limit=2&cursor=${first.nextCursor}`);
    expect(groupIds(rest)).toEqual(['initech']);
    expect(rest.nextCursor).toBeNull();
    const byTime = await t.getJson<CompanyPage>('/v1/companies?sort=-lastSeenAt&limit=1');
    const next = await t.getJson<CompanyPage>(`/v1/companies?sort=-lastSeenAt&limit=1&cursor=${byTime.nextCursor}`);
    expect(groupIds(next)).toEqual(['initech']);
  });

  it('refuses a bad sort, limit or cursor with 400 naming it', async () => {
    const t = await seeded();
    const first = await t.getJson<CompanyPage>('/v1/companies?sort=groupId&limit=1');
    for (const [query, message] of [
      ['sort=name', /^sort: /],
      ['limit=501', /^limit: /],
      [`sort=-lastSeenAt&cursor=${first.nextCursor}`, /^cursor: /],
    ] as const) {
      const body = await t.getJson<{ error: { message: string } }>(`/v1/companies?${query}`, 400);
      expect(body.error.message).toMatch(message);
    }
  });
});

describe('GET /v1/companies/{groupId}', () => {
  it('answers the company with its live contacts, following merges', async () => {
    const t = await seeded();
    // a2 (in acme) is merged into u1's profile: acme then lists it once.
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a2', timestamp: at(6) });
    const acme = await t.getJson('/v1/companies/acme');
    expect(acme).toEqual({
      groupId: 'acme',
      name: 'Acme',
      traits: { name: 'Acme', seats: 5 },
      firstSeenAt: at(3),
      lastSeenAt: at(5),
      contacts: [{ id: await t.contactIdBy('user_id', 'u1'), email: 'ada@example.com', name: 'Ada' }],
      contactTotal: { value: 1, isEstimate: false },
    });
    expect(await t.getJson('/v1/companies/initech')).toMatchObject({
      name: null,
      contacts: [{ id: expect.any(String), email: null, name: null }],
    });
  });

  it('shows at most 100 contacts, counts them all, and search pages through the same ones', async () => {
    const t = await openContactsTestApp();
    const batch = Array.from({ length: 101 }, (_, i) => ({ type: 'group', userId: `u${i}`, groupId: 'big' }));
    const anonymous = ['a0', 'a1'].map((anonymousId) => ({ type: 'group', anonymousId, groupId: 'big' }));
    await t.seed(...batch, ...anonymous);
    // The two anonymous ones merge into u0 and u1: 101 live contacts remain of 103 profiles.
    await t.seed(
      { type: 'identify', userId: 'u0', anonymousId: 'a0' },
      { type: 'identify', userId: 'u1', anonymousId: 'a1' },
    );
    type Big = { contacts: { id: string }[]; contactTotal: { value: number; isEstimate: boolean } };
    const big = await t.getJson<Big>('/v1/companies/big');
    expect(big.contacts).toHaveLength(100);
    expect(big.contacts[0]?.id).toBe(await t.contactIdBy('user_id', 'u0'));
    expect(big.contactTotal).toEqual({ value: 101, isEstimate: false });
    const byCompany = { filters: [{ field: 'company', op: 'eq', value: 'big' }], sort: 'createdAt', limit: 500 };
    const found = await search(t, byCompany);
    expect(found.total).toEqual(big.contactTotal);
    expect(found.data.slice(0, 100).map((contact) => contact.id)).toEqual(big.contacts.map((contact) => contact.id));
  });

  it('answers 404 for an unknown groupId and 401 without the admin token', async () => {
    const t = await seeded();
    const body = await t.getJson('/v1/companies/nope', 404);
    expect(body).toEqual({ error: { code: 'company_not_found', message: expect.stringContaining('nope') } });
    for (const path of ['/v1/companies', '/v1/companies/acme']) {
      for (const token of [null, 'adm_nope', t.writeKey]) expect((await t.get(path, token)).status).toBe(401);
    }
  });
});
