import { describe, expect, it } from 'vitest';
import { openAudienceTestApp } from './engine-audience-test-kit.js';

const hour = 3_600_000;
const day = 24 * hour;

describe('audiences on ingest', () => {
  it('enters a contact on the event that makes the rule true, in the same transaction as the event', async () => {
    const app = await openAudienceTestApp();
    const buyers = await app.defineAudience({ event: 'Order Completed', count: { op: 'gte', n: 2 } });
    await app.track('ann', 'Order Completed', app.clock.time);
    expect(await app.members(buyers)).toEqual([]);
    await app.track('ann', 'Order Completed', app.clock.time);
    expect(await app.members(buyers)).toEqual(['ann']);
    expect(await app.membershipChanges()).toEqual([`entered ann ${buyers}`]);
    const types = (await app.store.changes.read({ after: 0, limit: 1_000 })).map((change) => change.type);
    // The entry right after the event.stored of the second order.
    expect(types.slice(-2)).toEqual(['event.stored', 'audience.entered']);
  });

  it('a count that ages out of its window exits at the first sweep after the window passes', async () => {
    const app = await openAudienceTestApp();
    const recent = await app.defineAudience({ event: 'Order Completed', within: { days: 30 } });
    const start = app.clock.time;
    await app.track('ann', 'Order Completed', start);
    expect(await app.members(recent)).toEqual(['ann']);
    // The event's age counts from the end of its hour: still in at 30 days after that hour ends, less 1 ms.
    const hourEnd = (Math.floor(start / hour) + 1) * hour;
    app.clock.time = hourEnd + 30 * day - 1;
    await app.sweep();
    expect(await app.members(recent)).toEqual(['ann']);
    app.clock.time = hourEnd + 30 * day;
    await app.sweep();
    expect(await app.members(recent)).toEqual([]);
    expect(await app.membershipChanges()).toEqual([`entered ann ${recent}`, `exited ann ${recent}`]);
  });

  it('a leaf true by absence holds for a new contact and turns false on the event', async () => {
    const app = await openAudienceTestApp();
    const quiet = await app.defineAudience({
      all: [
        { trait: 'plan', op: 'exists' },
        { event: 'Order Completed', count: { op: 'eq', n: 0 }, within: { days: 30 } },
      ],
    });
    await app.seed({ type: 'identify', userId: 'bo', traits: { plan: 'pro' }, messageId: 'i-1' });
    expect(await app.members(quiet)).toEqual(['bo']);
    await app.track('bo', 'Order Completed', app.clock.time);
    expect(await app.members(quiet)).toEqual([]);
    app.clock.time += 31 * day;
    await app.sweep();
    expect(await app.members(quiet)).toEqual(['bo']);
  });

  it('between windows enter and exit as time passes', async () => {
    const app = await openAudienceTestApp();
    const lapsed = await app.defineAudience({ event: 'Login', between: { from: '-90d', to: '-30d' } });
    const start = app.clock.time;
    await app.track('cy', 'Login', start);
    expect(await app.members(lapsed)).toEqual([]);
    app.clock.time = start + 31 * day;
    await app.sweep();
    expect(await app.members(lapsed)).toEqual(['cy']);
    app.clock.time = start + 91 * day;
    await app.sweep();
    expect(await app.members(lapsed)).toEqual([]);
  });

  it('backfills a new audience from stored events and marks those entries', async () => {
    const app = await openAudienceTestApp();
    await app.track('dee', 'Signup', app.clock.time);
    await app.track('eve', 'Login', app.clock.time);
    const signedUp = await app.defineAudience({ event: 'Signup' });
    expect(await app.members(signedUp)).toEqual(['dee']);
    const [entered] = await app.store.changes.read({ after: 0, limit: 10, types: ['audience.entered'] });
    expect(JSON.parse(entered?.data ?? '{}')).toMatchObject({ audienceId: signedUp, backfill: true });
    const audience = await app.getJson<{ state: string; memberCount: number }>(`/v1/audiences/${signedUp}`);
    expect(audience).toMatchObject({ state: 'ready', memberCount: 1 });
  });
});
