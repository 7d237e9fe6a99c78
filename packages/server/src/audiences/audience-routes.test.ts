import { describe, expect, it } from 'vitest';
import { openAudienceTestApp } from './engine-audience-test-kit.js';

async function errorOf(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: { code: string; message: string } }).error,
  };
}

describe('audience definitions', () => {
  it('refuses a rule with an error that names the field', async () => {
    const app = await openAudienceTestApp();
    const send = (rule: unknown) => app.send('POST', '/v1/audiences', { name: 'x', rule }).then(errorOf);
    expect(
      await send({
        all: [
          { trait: 'plan', op: 'eq', value: 'pro' },
          { trait: 'a', op: 'eq' },
          { event: 'Order', within: { weeks: 2 } },
        ],
      }),
    ).toMatchObject({
      status: 400,
      code: 'invalid_rule',
      message: expect.stringContaining('rule.all[1].value'),
    });
    expect(
      (
        await send({
          all: [
            { trait: 'a', op: 'exists' },
            { trait: 'b', op: 'exists' },
            { event: 'Order', within: { weeks: 2 } },
          ],
        })
      ).message,
    ).toMatch(/^rule\.all\[2\]\.within\.weeks: /);
    expect((await send({ event: 'Order', between: { from: '-30d', to: '-90d' } })).message).toMatch(
      /^rule\.between\.to: /,
    );
    expect((await send({ any: [] })).message).toMatch(/^rule\.any: /);
    expect((await send({ trait: 'plan', op: 'like', value: 'x' })).message).toMatch(/^rule\.op: must be one of/);
    expect((await send({ event: 'Order', where: [{ property: 'total', op: 'after', value: '-3d' }] })).message).toMatch(
      /^rule\.where\[0\]\.value: /,
    );
    expect((await send({ audience: 'aud_missing' })).message).toMatch(/does not exist/);
    expect(await app.getJson<{ data: unknown[] }>('/v1/audiences')).toEqual({ data: [] });
  });

  it('refuses cycles and chains deeper than 8, and deleting an audience another names', async () => {
    const app = await openAudienceTestApp();
    const base = await app.defineAudience({ trait: 'plan', op: 'exists' }, 'base');
    const ids = [base];
    for (let i = 1; i < 8; i++) ids.push(await app.defineAudience({ audience: ids[i - 1] as string }, `level ${i}`));
    const tooDeep = await app
      .send('POST', '/v1/audiences', { name: 'ninth', rule: { audience: ids[7] } })
      .then(errorOf);
    expect(tooDeep).toMatchObject({ status: 400, message: expect.stringContaining('deeper than 8') });
    const cycle = await app.send('PATCH', `/v1/audiences/${base}`, { rule: { audience: ids[3] } }).then(errorOf);
    expect(cycle).toMatchObject({ status: 400, message: expect.stringContaining('cycle') });
    expect(await app.send('DELETE', `/v1/audiences/${ids[6]}`, '').then(errorOf)).toMatchObject({
      status: 409,
      code: 'audience_in_use',
    });
    expect((await app.send('DELETE', `/v1/audiences/${ids[7]}`, '')).status).toBe(204);
    expect((await app.get(`/v1/audiences/${ids[7]}`)).status).toBe(404);
  });

  it('nested audiences follow the audience they name, in the same write', async () => {
    const app = await openAudienceTestApp();
    const pro = await app.defineAudience({ trait: 'plan', op: 'eq', value: 'pro' }, 'pro');
    const proBuyers = await app.defineAudience(
      { all: [{ audience: pro }, { event: 'Order Completed' }] },
      'pro buyers',
    );
    const notPro = await app.defineAudience({ audience: pro, member: false }, 'not pro');
    await app.seed({ type: 'identify', userId: 'ann', traits: { plan: 'pro' }, messageId: 'i-1' });
    await app.track('ann', 'Order Completed', app.clock.time);
    expect([await app.members(pro), await app.members(proBuyers), await app.members(notPro)]).toEqual([
      ['ann'],
      ['ann'],
      [],
    ]);
    await app.seed({ type: 'identify', userId: 'ann', traits: { plan: 'free' }, messageId: 'i-2' });
    expect([await app.members(pro), await app.members(proBuyers), await app.members(notPro)]).toEqual([
      [],
      [],
      ['ann'],
    ]);
  });

  it('a PATCH of a trait by a person re-evaluates trait leaves', async () => {
    const app = await openAudienceTestApp();
    const customers = await app.defineAudience({ trait: 'lifecycleStage', op: 'eq', value: 'customer' });
    const vip = await app.defineAudience({ trait: 'tags', op: 'contains', value: 'vip' });
    await app.seed({ type: 'identify', userId: 'bo', traits: { email: 'bo@example.com' }, messageId: 'i-1' });
    const id = await app.contactOf('bo');
    const patched = await app.send('PATCH', `/v1/contacts/${id}`, { lifecycleStage: 'customer', tags: ['vip'] });
    expect(patched.status).toBe(200);
    expect([await app.members(customers), await app.members(vip)]).toEqual([['bo'], ['bo']]);
  });

  it('a merge combines both contacts’ counts; the absorbed contact leaves its audiences', async () => {
    const app = await openAudienceTestApp();
    const twice = await app.defineAudience({ event: 'Order Completed', count: { op: 'gte', n: 2 } });
    const once = await app.defineAudience({ event: 'Order Completed', count: { op: 'eq', n: 1 } });
    await app.seed({ type: 'track', anonymousId: 'anon-1', event: 'Order Completed', messageId: 't-1' });
    await app.track('cy', 'Order Completed', app.clock.time);
    expect((await app.members(once)).length).toBe(2);
    // The identify joins anon-1 to cy: one person with two orders.
    await app.seed({ type: 'identify', userId: 'cy', anonymousId: 'anon-1', messageId: 'i-1' });
    expect(await app.members(twice)).toEqual(['cy']);
    expect(await app.members(once)).toEqual([]);
    const exits = (await app.membershipChanges()).filter((line) => line.startsWith('exited'));
    expect(exits).toHaveLength(2);
  });

  it('erasure removes the contact’s memberships and counts', async () => {
    const app = await openAudienceTestApp();
    const buyers = await app.defineAudience({ event: 'Order Completed', within: { days: 7 } });
    await app.track('dee', 'Order Completed', app.clock.time);
    expect(await app.members(buyers)).toEqual(['dee']);
    const response = await app.send('DELETE', `/v1/contacts/${await app.contactOf('dee')}`, '');
    expect(response.status).toBeLessThan(300);
    const left: number[] = [];
    for (const table of ['audience_members', 'audience_profiles']) {
      const [row] = await app.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      left.push(Number(row?.n));
    }
    expect(left).toEqual([0, 0]);
    expect((await app.getJson<{ memberCount: number }>(`/v1/audiences/${buyers}`)).memberCount).toBe(0);
  });

  it('an edited rule emits entries and exits for the difference only', async () => {
    const app = await openAudienceTestApp();
    for (const [user, plan] of [
      ['a', 'pro'],
      ['b', 'pro'],
      ['c', 'team'],
    ] as const) {
      await app.seed({ type: 'identify', userId: user, traits: { plan }, messageId: `i-${user}` });
    }
    const paid = await app.defineAudience({ trait: 'plan', op: 'eq', value: 'pro' });
    expect(await app.members(paid)).toEqual(['a', 'b']);
    const before = (await app.membershipChanges()).length;
    const edited = await app.send('PATCH', `/v1/audiences/${paid}`, {
      rule: { trait: 'plan', op: 'in', value: ['pro', 'team'] },
    });
    expect(edited.status).toBe(200);
    await app.backfill();
    expect(await app.members(paid)).toEqual(['a', 'b', 'c']);
    expect((await app.membershipChanges()).slice(before)).toEqual([`entered c ${paid}`]);
  });

  it('preview answers size and sample from stored events without saving anything', async () => {
    const app = await openAudienceTestApp();
    for (const user of ['a', 'b', 'c'])
      await app.track(user, 'Signup', app.clock.time, { plan: user === 'c' ? 'free' : 'pro' });
    const response = await app.send('POST', '/v1/audiences/preview', {
      rule: { event: 'Signup', where: [{ property: 'plan', op: 'eq', value: 'pro' }] },
    });
    const body = (await response.json()) as { size: number; sample: { identities: { value: string }[] }[] };
    expect(response.status).toBe(200);
    expect(body.size).toBe(2);
    expect(body.sample.map((contact) => contact.identities[0]?.value).sort()).toEqual(['a', 'b']);
    expect(await app.query('SELECT id FROM audiences')).toEqual([]);
  });

  it('pages members with a signed cursor and marks a partial answer while backfilling', async () => {
    const app = await openAudienceTestApp();
    for (let i = 0; i < 5; i++) await app.track(`u${i}`, 'Signup', app.clock.time);
    const created = await app.send('POST', '/v1/audiences', { name: 'signed up', rule: { event: 'Signup' } });
    const { id, state } = (await created.json()) as { id: string; state: string };
    expect(state).toBe('backfilling');
    const partial = await app.getJson<{ partial: boolean }>(`/v1/audiences/${id}/members`);
    expect(partial.partial).toBe(true);
    await app.backfill();
    const first = await app.getJson<{ data: unknown[]; nextCursor: string; partial: boolean }>(
      `/v1/audiences/${id}/members?limit=3`,
    );
    expect(first.data).toHaveLength(3);
    expect(first.partial).toBe(false);
    const second = await app.getJson<{ data: unknown[]; nextCursor: null }>(
      `/v1/audiences/${id}/members?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.data).toHaveLength(2);
    expect((await app.get(`/v1/audiences/${id}/members?cursor=forged.cursor`)).status).toBe(400);
  });
});

describe('audiences elsewhere in the API', () => {
  it('GET /v1/contacts/{ref} lists the contact’s audiences with their entry time', async () => {
    const app = await openAudienceTestApp();
    const buyers = await app.defineAudience({ event: 'Order Completed' }, 'buyers');
    await app.defineAudience({ trait: 'plan', op: 'eq', value: 'pro' }, 'pro');
    const enteredAt = app.clock.time;
    await app.track('ann', 'Order Completed', enteredAt);
    const contact = await app.getJson<{ audiences: unknown[] }>(`/v1/contacts/${await app.contactOf('ann')}`);
    expect(contact.audiences).toEqual([
      { id: buyers, name: 'buyers', enteredAt: new Date(enteredAt).toISOString(), backfill: false },
    ]);
  });

  it('search filters by audience, and /metrics counts each audience’s members', async () => {
    const app = await openAudienceTestApp();
    const buyers = await app.defineAudience({ event: 'Order Completed' }, 'buyers');
    for (const user of ['a', 'b']) await app.track(user, 'Order Completed', app.clock.time);
    await app.track('c', 'Signup', app.clock.time);
    const search = async (filter: Record<string, unknown>) => {
      const response = await app.send('POST', '/v1/contacts/search', { filters: [filter] });
      const body = (await response.json()) as { data: { id: string }[] };
      return (await Promise.all(body.data.map((contact) => app.nameOf(contact.id)))).sort();
    };
    expect(await search({ field: 'audience', op: 'eq', value: buyers })).toEqual(['a', 'b']);
    expect(await search({ field: 'audience', op: 'neq', value: buyers })).toEqual(['c']);
    expect(await app.readMetrics()).toContain(`weft_audience_members{audience="${buyers}"} 2`);
  });
});
