import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';
import { search } from './search-test-kit.js';

/**
 * Three people: 1 (Ada: customer, owner sam, tags vip+beta, company acme, seen 10–40, 3 events),
 * 2 (Grace: lead, tag conference, company navy, seen 20–21, 2 events), 3 (Linus: nothing set, seen 30).
 */
async function seeded() {
  const t = await openContactsTestApp();
  await t.seed(
    {
      type: 'identify',
      userId: 'u1',
      timestamp: at(10),
      traits: {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        plan: 'pro',
        seats: 5,
        beta: true,
        address: { city: 'London' },
      },
    },
    { type: 'group', userId: 'u1', groupId: 'acme', timestamp: at(11), traits: { name: 'Acme' } },
    { type: 'track', userId: 'u1', event: 'Login', timestamp: at(40) },
  );
  await t.seed(
    {
      type: 'identify',
      userId: 'u2',
      timestamp: at(20),
      traits: { email: 'grace@navy.mil', name: 'Grace Hopper', plan: 'free', seats: '5' },
    },
    { type: 'group', userId: 'u2', groupId: 'navy', timestamp: at(21) },
  );
  await t.seed({ type: 'identify', userId: 'u3', timestamp: at(30), traits: { name: 'Linus', beta: false } });
  const patch = async (ref: string, body: Record<string, unknown>) => {
    const response = await t.send('PATCH', `/v1/contacts/${ref}`, body);
    if (response.status !== 200) throw new Error(`patch: ${await response.text()}`);
  };
  await patch('user_id:u1', { lifecycleStage: 'customer', owner: 'sam@weft.dev', tags: ['vip', 'beta'] });
  await patch('user_id:u2', { lifecycleStage: 'lead', tags: ['conference'] });
  return t;
}

type Case = [field: string, op: string, value: unknown, ids: string[]];
const none = undefined;

const cases: Case[] = [
  ['email', 'eq', 'ADA@example.com', ['1']],
  ['email', 'neq', 'ada@example.com', ['2', '3']],
  ['email', 'in', ['ada@example.com', 'nobody@example.com'], ['1']],
  ['email', 'contains', 'EXAMPLE', ['1']],
  ['email', 'startsWith', 'gra', ['2']],
  ['email', 'exists', none, ['1', '2']],
  ['email', 'notExists', none, ['3']],
  ['name', 'eq', 'Linus', ['3']],
  ['name', 'neq', 'Linus', ['1', '2']],
  ['name', 'in', ['Linus', 'Grace Hopper'], ['2', '3']],
  ['name', 'contains', 'hop', ['2']],
  ['name', 'startsWith', 'ada', ['1']],
  ['name', 'exists', none, ['1', '2', '3']],
  ['name', 'notExists', none, []],
  ['lifecycleStage', 'eq', 'customer', ['1']],
  ['lifecycleStage', 'neq', 'customer', ['2', '3']],
  ['lifecycleStage', 'in', ['lead', 'customer'], ['1', '2']],
  ['lifecycleStage', 'exists', none, ['1', '2']],
  ['lifecycleStage', 'notExists', none, ['3']],
  ['owner', 'eq', 'sam@weft.dev', ['1']],
  ['owner', 'neq', 'sam@weft.dev', ['2', '3']],
  ['owner', 'in', ['sam@weft.dev'], ['1']],
  ['owner', 'contains', 'WEFT', ['1']],
  ['owner', 'startsWith', 'sam', ['1']],
  ['owner', 'exists', none, ['1']],
  ['owner', 'notExists', none, ['2', '3']],
  ['tags', 'contains', 'vip', ['1']],
  ['tags', 'eq', 'conference', ['2']],
  ['tags', 'neq', 'vip', ['2', '3']],
  ['tags', 'in', ['beta', 'conference'], ['1', '2']],
  ['tags', 'exists', none, ['1', '2']],
  ['tags', 'notExists', none, ['3']],
  ['company', 'eq', 'acme', ['1']],
  ['company', 'neq', 'acme', ['2', '3']],
  ['company', 'in', ['acme', 'navy'], ['1', '2']],
  ['company', 'exists', none, ['1', '2']],
  ['company', 'notExists', none, ['3']],
  ['firstSeenAt', 'eq', at(10), ['1']],
  ['firstSeenAt', 'neq', at(20), ['1', '3']],
  ['firstSeenAt', 'gt', at(10), ['2', '3']],
  ['firstSeenAt', 'gte', at(20), ['2', '3']],
  ['firstSeenAt', 'lt', at(20), ['1']],
  ['firstSeenAt', 'lte', '2026-02-01T00:20:00+00:00', ['1', '2']],
  ['firstSeenAt', 'in', [at(10), at(30)], ['1', '3']],
  ['lastSeenAt', 'gt', at(21), ['1', '3']],
  ['lastSeenAt', 'lte', at(21), ['2']],
  ['eventCount', 'eq', 1, ['3']],
  ['eventCount', 'neq', 3, ['2', '3']],
  ['eventCount', 'gt', 1, ['1', '2']],
  ['eventCount', 'gte', 2, ['1', '2']],
  ['eventCount', 'lt', 3, ['2', '3']],
  ['eventCount', 'lte', 1, ['3']],
  ['eventCount', 'in', [1, 3], ['1', '3']],
  ['traits.plan', 'eq', 'pro', ['1']],
  ['traits.plan', 'neq', 'pro', ['2', '3']],
  ['traits.plan', 'in', ['pro', 'free'], ['1', '2']],
  ['traits.plan', 'contains', 'RO', ['1']],
  ['traits.plan', 'startsWith', 'fr', ['2']],
  ['traits.plan', 'exists', none, ['1', '2']],
  ['traits.plan', 'notExists', none, ['3']],
  // Typed: the number 5 is not the text "5".
  ['traits.seats', 'eq', 5, ['1']],
  ['traits.seats', 'eq', '5', ['2']],
  ['traits.seats', 'in', [5], ['1']],
  ['traits.seats', 'gt', 4, ['1']],
  ['traits.seats', 'lt', 5, []],
  ['traits.beta', 'eq', true, ['1']],
  ['traits.beta', 'eq', false, ['3']],
  ['traits.address.city', 'eq', 'London', ['1']],
  ['traits.address', 'exists', none, ['1']],
];

describe('POST /v1/contacts/search', () => {
  it('applies each field with each of its ops', async () => {
    const t = await seeded();
    for (const [field, op, value, ids] of cases) {
      const page = await search(t, { filters: [{ field, op, value }], sort: 'createdAt' });
      expect({ field, op, value, ids: await t.keysOf(page.data) }).toEqual({
        field,
        op,
        value,
        ids,
      });
      expect(page.total).toEqual({ value: ids.length, isEstimate: false });
    }
  });

  it('ANDs its filters, and with none lists every live contact', async () => {
    const t = await seeded();
    const ids = async (filters: unknown[]) => t.keysOf((await search(t, { filters, sort: 'createdAt' })).data);
    expect(
      await ids([
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'email', op: 'contains', value: 'example' },
      ]),
    ).toEqual(['1']);
    expect(
      await ids([
        { field: 'lifecycleStage', op: 'exists' },
        { field: 'traits.plan', op: 'eq', value: 'free' },
      ]),
    ).toEqual(['2']);
    expect(
      await ids([
        { field: 'lastSeenAt', op: 'gte', value: at(21) },
        { field: 'lastSeenAt', op: 'lt', value: at(40) },
      ]),
    ).toEqual(['2', '3']);
    expect(await ids([])).toEqual(['1', '2', '3']);
    expect(await t.keysOf((await search(t, {})).data)).toEqual(['1', '3', '2']);
  });

  it('never answers a merged-away profile', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'track', anonymousId: 'a1', event: 'X', timestamp: at(1), properties: {} });
    await t.seed({ type: 'identify', userId: 'u1', timestamp: at(2), traits: { plan: 'pro' } });
    await t.seed({ type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: at(3) });
    const page = await search(t, { filters: [{ field: 'eventCount', op: 'gte', value: 0 }] });
    const merged = await t.query<{ public_id: string }>('SELECT public_id FROM profiles WHERE merged_into IS NOT NULL');
    expect(merged).toHaveLength(1);
    const live = page.data.map((contact) => contact.id);
    expect(live).toHaveLength(1);
    expect(live).not.toContain(merged[0]?.public_id);
    expect(page.total).toEqual({ value: 1, isEstimate: false });
  });

  it('treats SQL in a value as text, and refuses it in a trait name', async () => {
    const t = await seeded();
    for (const value of ["pro' OR 1=1 --", '%', '_ro']) {
      for (const op of ['eq', 'contains', 'startsWith']) {
        const page = await search(t, { filters: [{ field: 'traits.plan', op, value }] });
        expect(page.data).toEqual([]);
      }
    }
    const response = await t.send('POST', '/v1/contacts/search', {
      filters: [{ field: `traits.plan') = 'pro' OR ('1`, op: 'exists' }],
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^filters\[0\]\.field: /);
    expect((await search(t, {})).total.value).toBe(3);
  });
});
