import { afterEach, describe, expect, it } from 'vitest';
import { readSse } from '../testing/sse-reader.js';
import {
  type Answer,
  identitySecret,
  openPersonalizeTestApp,
  type PersonalizeTestApp,
  shopOrigin,
  signToken,
} from './personalize-test-kit.js';

const timing = { heartbeatMs: 60_000, recheckMs: 50 };
const open: { cancel(): Promise<void> }[] = [];
afterEach(async () => {
  for (const stream of open.splice(0)) await stream.cancel();
});

async function shop(settings: { streamCaps?: { perAddress: number; total: number } } = {}) {
  const t = await openPersonalizeTestApp({ personalize: { identitySecret, streamTiming: timing, ...settings } });
  const pricing = await t.defineAudience({ event: 'Pricing Viewed' }, 'Pricing viewers');
  const { key, id } = await t.makeKey({ traits: ['plan'], audiences: [pricing] });
  return { t, pricing, key, keyId: id };
}

async function ticketFor(t: PersonalizeTestApp, query: Record<string, string>, token?: string): Promise<string> {
  const answer = await t.answer({ ...query, stream: 'true' }, token ? { token } : {});
  if (!answer.streamTicket) throw new Error('no ticket');
  return answer.streamTicket;
}

function openStream(t: PersonalizeTestApp, ticket: string, init: { origin?: string; address?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.origin !== '') headers.Origin = init.origin ?? shopOrigin;
  // As @hono/node-server passes it: the peer's address is read from the socket.
  const env = { incoming: { socket: { remoteAddress: init.address ?? '10.0.0.1', remoteFamily: 'IPv4' } } };
  return Promise.resolve(
    t.app.request(`/v1/personalize/stream?ticket=${encodeURIComponent(ticket)}`, { headers }, env),
  );
}

async function reader(response: Response) {
  if (response.status !== 200 || !response.body) throw new Error(`stream: ${response.status} ${await response.text()}`);
  const sse = readSse(response.body);
  open.push(sse);
  return {
    async nextProfile(timeoutMs = 2_000): Promise<Answer | undefined> {
      for (;;) {
        const message = await sse.next(timeoutMs);
        if (!message) return undefined;
        if (message.event === 'profile') return JSON.parse(message.data ?? '{}') as Answer;
        if (message.event === 'end') throw new Error(`ended: ${message.data}`);
      }
    },
    next: (timeoutMs: number) => sse.next(timeoutMs),
  };
}

describe('GET /v1/personalize/stream', () => {
  it('sends the answer at once, then a new one within a second of the event that changes it', async () => {
    const { t, key, pricing } = await shop();
    const stream = await reader(await openStream(t, await ticketFor(t, { key, anonymousId: 'anon-new' })));
    // A visitor Weft has not seen yet: the empty answer.
    expect(await stream.nextProfile()).toEqual({ audiences: [], traits: {}, computed: {} });
    const started = Date.now();
    await t.seed({ type: 'track', anonymousId: 'anon-new', event: 'Pricing Viewed' });
    expect(await stream.nextProfile(1_000)).toEqual({
      audiences: [{ id: pricing, name: 'Pricing viewers' }],
      traits: {},
      computed: {},
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    // A change the key may not show (another trait) sends nothing.
    await t.seed({ type: 'identify', anonymousId: 'anon-new', traits: { colour: 'blue' } });
    expect(await stream.nextProfile(300)).toBeUndefined();
    await t.seed({ type: 'identify', anonymousId: 'anon-new', traits: { plan: 'free' } });
    expect((await stream.nextProfile())?.traits).toEqual({ plan: 'free' });
  });

  it('follows its visitor through a merge', async () => {
    const { t, key, pricing } = await shop();
    await t.seed({ type: 'identify', userId: 'kim', traits: { plan: 'pro' } });
    const token = signToken({ sub: 'kim', exp: Math.floor((t.clock.time + 3_600_000) / 1000) });
    const stream = await reader(await openStream(t, await ticketFor(t, { key, userId: 'kim' }, token)));
    expect(await stream.nextProfile()).toEqual({ audiences: [], traits: { plan: 'pro' }, computed: {} });
    // Kim browsed anonymously on another device, then signed in there: that contact is merged into hers.
    await t.seed({ type: 'track', anonymousId: 'kim-phone', event: 'Pricing Viewed' });
    await t.seed({ type: 'identify', anonymousId: 'kim-phone', userId: 'kim' });
    expect((await stream.nextProfile())?.audiences).toEqual([{ id: pricing, name: 'Pricing viewers' }]);
  });

  it('ends when its key is revoked', async () => {
    const { t, key, keyId } = await shop();
    const stream = await reader(await openStream(t, await ticketFor(t, { key, anonymousId: 'a' })));
    await stream.nextProfile();
    await t.send('DELETE', `/v1/publishable-keys/${keyId}`, undefined);
    const message = await stream.next(2_000);
    expect(message).toMatchObject({ event: 'end', data: JSON.stringify({ code: 'key_revoked' }) });
  });

  it('ends when the identity token it was opened with expires', async () => {
    const { t, key } = await shop();
    await t.seed({ type: 'identify', userId: 'kim', traits: { plan: 'pro' } });
    const token = signToken({ sub: 'kim', exp: Math.floor((t.clock.time + 600_000) / 1000) });
    const stream = await reader(await openStream(t, await ticketFor(t, { key, userId: 'kim' }, token)));
    await stream.nextProfile();
    t.clock.time += 600_000;
    expect(await stream.next(2_000)).toMatchObject({ event: 'end', data: JSON.stringify({ code: 'token_expired' }) });
  });

  it('refuses a forged or stale ticket, and one used from another origin', async () => {
    const { t, key } = await shop();
    const ticket = await ticketFor(t, { key, anonymousId: 'a' });
    const [payload = '', signature = ''] = ticket.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), value: 'b' })).toString('base64url')}.${signature}`;
    expect((await openStream(t, forged)).status).toBe(401);
    expect((await openStream(t, ticket, { origin: 'https://evil.example' })).status).toBe(403);
    t.clock.time += 61_000;
    expect((await openStream(t, ticket)).status).toBe(401);
  });

  it('has no ticket for a request that names no visitor', async () => {
    const { t, key } = await shop();
    expect((await t.answer({ key, stream: 'true' })).streamTicket).toBeUndefined();
  });

  it('caps the streams open per client address and in all, and frees a place when one closes', async () => {
    const { t, key } = await shop({ streamCaps: { perAddress: 2, total: 3 } });
    const ticket = () => ticketFor(t, { key, anonymousId: 'a' });
    const first = await openStream(t, await ticket(), { address: '10.0.0.1' });
    await reader(first);
    await reader(await openStream(t, await ticket(), { address: '10.0.0.1' }));
    const third = await openStream(t, await ticket(), { address: '10.0.0.1' });
    expect(third.status).toBe(429);
    expect(await third.text()).toMatch(/from this address/);
    // Another address of the same IPv6 /64 counts as the same.
    await reader(await openStream(t, await ticket(), { address: '2001:db8:0:1::5' }));
    const sameNetwork = await openStream(t, await ticket(), { address: '2001:db8:0:1:ffff::9' });
    expect(sameNetwork.status).toBe(429);
    const overall = await openStream(t, await ticket(), { address: '10.0.0.3' });
    expect(overall.status).toBe(429);
    expect(await overall.text()).toMatch(/3 streams are open already/);
    await open[0]?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await openStream(t, await ticket(), { address: '10.0.0.3' })).status).toBe(200);
  });

  it('opens one stream per ticket, and refuses HEAD without taking a place', async () => {
    const { t, key } = await shop({ streamCaps: { perAddress: 1, total: 10 } });
    const ticket = await ticketFor(t, { key, anonymousId: 'a' });
    const head = await t.app.request(`/v1/personalize/stream?ticket=${encodeURIComponent(ticket)}`, {
      method: 'HEAD',
      headers: { Origin: shopOrigin },
    });
    expect(head.status).toBe(405);
    await reader(await openStream(t, ticket));
    const again = await openStream(t, ticket, { address: '10.0.0.2' });
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/already used/);
  });

  it('pushes a computed trait’s new value, and ends when the key drops the stream’s origin', async () => {
    const { t, key, keyId } = await shop();
    await t.defineComputed('views', { event: 'Pricing Viewed', aggregate: 'count' });
    await t.send('PATCH', `/v1/publishable-keys/${keyId}`, { computedTraits: ['views'] });
    await t.seed({ type: 'track', anonymousId: 'v', event: 'Home Viewed' });
    const stream = await reader(await openStream(t, await ticketFor(t, { key, anonymousId: 'v' })));
    expect((await stream.nextProfile())?.computed).toEqual({ views: 0 });
    await t.seed({ type: 'track', anonymousId: 'v', event: 'Pricing Viewed' });
    expect((await stream.nextProfile())?.computed).toEqual({ views: 1 });
    await t.send('PATCH', `/v1/publishable-keys/${keyId}`, { origins: ['https://other.example'] });
    expect(await stream.next(2_000)).toMatchObject({
      event: 'end',
      data: JSON.stringify({ code: 'origin_not_allowed' }),
    });
  });
});
