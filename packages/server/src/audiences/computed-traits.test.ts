import { describe, expect, it } from 'vitest';
import { openAudienceTestApp } from './engine-audience-test-kit.js';

const hour = 3_600_000;
const day = 24 * hour;

/** Every aggregate of one event's properties. */
const everyAggregate = {
  orders: { event: 'Order', aggregate: 'count' },
  revenue: { event: 'Order', aggregate: 'sum', property: 'total' },
  smallest: { event: 'Order', aggregate: 'min', property: 'total' },
  largest: { event: 'Order', aggregate: 'max', property: 'total' },
  average: { event: 'Order', aggregate: 'avg', property: 'total' },
  firstSku: { event: 'Order', aggregate: 'first', property: 'sku' },
  lastSku: { event: 'Order', aggregate: 'last', property: 'sku' },
  favouriteSku: { event: 'Order', aggregate: 'mostFrequent', property: 'sku' },
  skus: { event: 'Order', aggregate: 'uniqueList', property: 'sku' },
  skuCount: { event: 'Order', aggregate: 'uniqueCount', property: 'sku' },
};

describe('computed traits', () => {
  it('works out every aggregate on ingest and shows it on the contact', async () => {
    const app = await openAudienceTestApp();
    for (const [name, calculation] of Object.entries(everyAggregate)) await app.defineComputed(name, calculation);
    const start = app.clock.time;
    await app.track('ann', 'Order', start - 3 * hour, { total: 30, sku: 'b' });
    await app.track('ann', 'Order', start - 5 * hour, { total: 10, sku: 'a' });
    await app.track('ann', 'Order', start - hour, { total: 20, sku: 'b' });
    // Counted by count (no property), not by the others: its total is not a number, it has no sku.
    await app.track('ann', 'Order', start, { total: 'lots' });
    await app.track('ann', 'Login', start, { total: 1000, sku: 'z' });
    expect(await app.computedOf('ann')).toEqual({
      orders: 4,
      revenue: 60,
      smallest: 10,
      largest: 30,
      average: 20,
      firstSku: 'a',
      lastSku: 'b',
      favouriteSku: 'b',
      skus: ['b', 'a'],
      skuCount: 2,
    });
    const contact = await app.getJson<{ computedTraits: Record<string, unknown>; traits: object }>(
      `/v1/contacts/${encodeURIComponent('user_id:ann')}`,
    );
    expect(contact.computedTraits).toMatchObject({ orders: 4, revenue: 60, skus: ['b', 'a'] });
    expect(contact.traits).not.toHaveProperty('orders');
  });

  it('a contact with no events has 0 for count, sum and uniqueCount and null for the others', async () => {
    const app = await openAudienceTestApp();
    for (const [name, calculation] of Object.entries(everyAggregate)) await app.defineComputed(name, calculation);
    await app.seed({ type: 'identify', userId: 'bo', traits: { plan: 'pro' }, messageId: 'i-1' });
    expect(await app.computedOf('bo')).toEqual({
      orders: 0,
      revenue: 0,
      smallest: null,
      largest: null,
      average: null,
      firstSku: null,
      lastSku: null,
      favouriteSku: null,
      skus: null,
      skuCount: 0,
    });
  });

  it('records each change of value as a contact.updated, and a window that passes changes it at a sweep', async () => {
    const app = await openAudienceTestApp();
    await app.defineComputed('revenue_1d', {
      event: 'Order',
      aggregate: 'sum',
      property: 'total',
      within: { days: 1 },
    });
    const start = app.clock.time;
    await app.track('cy', 'Order', start, { total: 25 });
    await app.track('cy', 'Order', start, { total: 5 });
    const updates = async () =>
      (await app.query<{ data: string }>("SELECT data FROM changes WHERE type = 'contact.updated' ORDER BY seq"))
        .map((row) => JSON.parse(row.data) as { computed?: unknown })
        .filter((data) => data.computed !== undefined);
    expect(await updates()).toEqual([
      { computed: { revenue_1d: { old: 0, new: 25 } } },
      { computed: { revenue_1d: { old: 25, new: 30 } } },
    ]);
    // The hour's events leave the window 1 day after the hour ends (hour-buckets.ts).
    const hourEnd = (Math.floor(start / hour) + 1) * hour;
    app.clock.time = hourEnd + day - 1;
    await app.sweep();
    expect((await app.computedOf('cy')).revenue_1d).toBe(30);
    app.clock.time = hourEnd + day;
    await app.sweep();
    expect((await app.computedOf('cy')).revenue_1d).toBe(0);
    expect((await updates()).at(-1)).toEqual({ computed: { revenue_1d: { old: 30, new: 0 } } });
  });

  it('backfills a new computed trait from stored events, then keeps it current', async () => {
    const app = await openAudienceTestApp();
    await app.track('dee', 'Order', app.clock.time - 2 * day, { total: 7 });
    await app.track('dee', 'Order', app.clock.time - day, { total: 8 });
    await app.track('eve', 'Login', app.clock.time);
    const id = await app.defineComputed('spent', { event: 'Order', aggregate: 'sum', property: 'total' });
    expect(await app.computedOf('dee')).toEqual({ spent: 15 });
    expect(await app.computedOf('eve')).toEqual({ spent: 0 });
    const trait = await app.getJson<{ state: string; progress: { processed: number; total: number } }>(
      `/v1/computed-traits/${id}`,
    );
    expect(trait.state).toBe('ready');
    expect(trait.progress.processed).toBe(trait.progress.total);
    await app.track('dee', 'Order', app.clock.time, { total: 5 });
    expect(await app.computedOf('dee')).toEqual({ spent: 20 });
  });

  it('audiences read computed traits, and enter or exit as the value changes', async () => {
    const app = await openAudienceTestApp();
    await app.defineComputed('revenue', { event: 'Order', aggregate: 'sum', property: 'total', within: { days: 30 } });
    const big = await app.defineAudience({ trait: 'computed.revenue', op: 'gte', value: 100 });
    const none = await app.defineAudience({ trait: 'computed.revenue', op: 'eq', value: 0 });
    await app.seed({ type: 'identify', userId: 'fay', traits: {}, messageId: 'i-fay' });
    expect(await app.members(none)).toEqual(['fay']);
    await app.track('fay', 'Order', app.clock.time, { total: 60 });
    expect(await app.members(none)).toEqual([]);
    expect(await app.members(big)).toEqual([]);
    await app.track('fay', 'Order', app.clock.time, { total: 40 });
    expect(await app.members(big)).toEqual(['fay']);
    app.clock.time += 31 * day;
    await app.sweep();
    expect(await app.members(big)).toEqual([]);
    expect(await app.members(none)).toEqual(['fay']);
  });

  it('a merge combines both contacts’ events into the survivor’s values', async () => {
    const app = await openAudienceTestApp();
    await app.defineComputed('spent', { event: 'Order', aggregate: 'sum', property: 'total' });
    await app.defineComputed('firstSku', { event: 'Order', aggregate: 'first', property: 'sku' });
    await app.seed({
      type: 'track',
      anonymousId: 'anon-gus',
      event: 'Order',
      properties: { total: 10, sku: 'early' },
      timestamp: new Date(app.clock.time - day).toISOString(),
      messageId: 't-anon',
    });
    await app.track('gus', 'Order', app.clock.time, { total: 5, sku: 'late' });
    expect(await app.computedOf('gus')).toEqual({ spent: 5, firstSku: 'late' });
    await app.seed({ type: 'identify', userId: 'gus', anonymousId: 'anon-gus', traits: {}, messageId: 'i-gus' });
    expect(await app.computedOf('gus')).toEqual({ spent: 15, firstSku: 'early' });
  });

  it('search filters by a computed trait, a contact without events reading the value it has with none', async () => {
    const app = await openAudienceTestApp();
    await app.defineComputed('spent', { event: 'Order', aggregate: 'sum', property: 'total' });
    await app.track('hal', 'Order', app.clock.time, { total: 150 });
    await app.track('ida', 'Order', app.clock.time, { total: 50 });
    await app.seed({ type: 'identify', userId: 'jo', traits: {}, messageId: 'i-jo' });
    const search = async (filters: unknown[]) => {
      const response = await app.send('POST', '/v1/contacts/search', { filters });
      const body = (await response.json()) as { data?: { id: string }[]; error?: { message: string } };
      if (response.status !== 200) return `${response.status} ${body.error?.message}`;
      return (await Promise.all((body.data ?? []).map((contact) => app.nameOf(contact.id)))).sort();
    };
    expect(await search([{ field: 'computed.spent', op: 'gt', value: 100 }])).toEqual(['hal']);
    expect(await search([{ field: 'computed.spent', op: 'eq', value: 0 }])).toEqual(['jo']);
    expect(await search([{ field: 'computed.spent', op: 'lte', value: 50 }])).toEqual(['ida', 'jo']);
    expect(await search([{ field: 'computed.nothing', op: 'exists' }])).toMatch(
      /^400 filters\[0\]\.field: no computed trait is named nothing/,
    );
  });

  it('refuses a bad definition naming the field, a second trait of one name, and deleting one in use', async () => {
    const app = await openAudienceTestApp();
    const refusal = async (body: unknown) => {
      const response = await app.send('POST', '/v1/computed-traits', body);
      const answer = (await response.json()) as { error: { message: string } };
      return `${response.status} ${answer.error.message}`;
    };
    expect(await refusal({ name: 'x', calculation: { event: 'Order', aggregate: 'median', property: 'a' } })).toMatch(
      /^400 calculation\.aggregate: must be one of count, sum/,
    );
    expect(await refusal({ name: 'x', calculation: { event: 'Order', aggregate: 'sum' } })).toMatch(
      /^400 calculation\.property: is needed with sum/,
    );
    expect(
      await refusal({
        name: 'x',
        calculation: { event: 'Order', aggregate: 'count', between: { from: '-9d', to: '-1d' } },
      }),
    ).toMatch(/^400 calculation\.between: is not allowed here/);
    expect(
      await refusal({ name: 'x', calculation: { event: 'Order', aggregate: 'count', within: { days: 731 } } }),
    ).toMatch(/^400 calculation\.within\.days: must be at most 730 days/);
    expect(await refusal({ name: 'has space', calculation: { event: 'Order', aggregate: 'count' } })).toMatch(
      /^400 name: must be 1 to 100 letters/,
    );
    const id = await app.defineComputed('orders', { event: 'Order', aggregate: 'count' });
    expect(await refusal({ name: 'orders', calculation: { event: 'Login', aggregate: 'count' } })).toMatch(
      /^400 name: a computed trait named orders exists/,
    );
    const response = await app.send('POST', '/v1/audiences', {
      name: 'a',
      rule: { trait: 'computed.ordrs', op: 'gt', value: 1 },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /names computed trait ordrs, which does not exist/,
    );
    const audience = await app.defineAudience({ trait: 'computed.orders', op: 'gt', value: 1 });
    expect((await app.send('DELETE', `/v1/computed-traits/${id}`, '')).status).toBe(409);
    expect((await app.send('DELETE', `/v1/audiences/${audience}`, '')).status).toBe(204);
    expect((await app.send('DELETE', `/v1/computed-traits/${id}`, '')).status).toBe(204);
    await app.getJson(`/v1/computed-traits/${id}`, 404);
  });

  it('a deleted computed trait leaves no value on any contact; a new calculation works every contact out again', async () => {
    const app = await openAudienceTestApp();
    const spentId = await app.defineComputed('spent', { event: 'Order', aggregate: 'sum', property: 'total' });
    const keptId = await app.defineComputed('orders', { event: 'Order', aggregate: 'count' });
    await app.track('kai', 'Order', app.clock.time, { total: 9 });
    await app.track('kai', 'Order', app.clock.time, { total: 3 });
    const response = await app.send('PATCH', `/v1/computed-traits/${keptId}`, {
      calculation: { event: 'Order', aggregate: 'max', property: 'total' },
    });
    expect(response.status).toBe(200);
    await app.backfill();
    expect(await app.computedOf('kai')).toEqual({ spent: 12, orders: 9 });
    expect((await app.send('DELETE', `/v1/computed-traits/${spentId}`, '')).status).toBe(204);
    expect(await app.computedOf('kai')).toEqual({ orders: 9 });
    const stored = await app.query<{ computed: string }>('SELECT computed FROM audience_profiles');
    expect(stored.some((row) => row.computed.includes('spent'))).toBe(false);
  });
});
