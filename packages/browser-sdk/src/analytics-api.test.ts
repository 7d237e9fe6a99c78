// @vitest-environment jsdom
import { InvalidEventError } from '@weft/core';
import { createStore, values } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { newClient, status, useBrowserTestbed, WRITE_KEY } from './browser.test-support.js';
import { VERSION } from './version.js';

const weft = useBrowserTestbed();

/** The queued events in IndexedDB (the database also holds the tabs' leases and the identity). */
async function storedEvents(): Promise<{ json: string }[]> {
  const records = (await values(createStore(`weft:v1:queue:${WRITE_KEY}`, 'queue'))) as { json?: string }[];
  return records.filter((record): record is { json: string } => typeof record.json === 'string');
}

async function sent(run: (client: ReturnType<typeof newClient>['client']) => Promise<unknown>) {
  const { client } = newClient();
  await run(client);
  await client.flush();
  return weft.requests.flatMap((request) => request.batch);
}

describe('calls', () => {
  it('resolves each call once its event is in IndexedDB', async () => {
    const { client } = newClient();
    await client.track('Stored');
    const records = await storedEvents();
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]?.json ?? '')).toMatchObject({ event: 'Stored' });
  });

  it('writes a burst of calls in a few transactions, not one each', async () => {
    const { client } = newClient();
    await client.ready();
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await Promise.all(Array.from({ length: 50 }, (_, index) => client.track(`Burst ${index}`)));
    expect(transaction.mock.calls.length).toBeGreaterThan(0);
    expect(transaction.mock.calls.length).toBeLessThanOrEqual(3);
    expect(await storedEvents()).toHaveLength(50);
  });

  it('identify sets the user for later events and sends the traits', async () => {
    const [identify, track] = await sent(async (client) => {
      await client.identify('user-1', { plan: 'pro' });
      await client.track('After');
      expect(client.user()).toMatchObject({ id: 'user-1', traits: { plan: 'pro' } });
    });
    expect(identify).toMatchObject({ type: 'identify', userId: 'user-1', traits: { plan: 'pro' } });
    expect(track).toMatchObject({ type: 'track', userId: 'user-1', anonymousId: identify?.anonymousId });
  });

  it('identify takes traits alone', async () => {
    const [identify] = await sent((client) => client.identify({ email: 'a@example.com' }));
    expect(identify).toMatchObject({ type: 'identify', traits: { email: 'a@example.com' } });
    expect(identify?.userId).toBeUndefined();
  });

  it('page reads its arguments as analytics.js does and adds the page properties', async () => {
    window.history.pushState({}, '', '/docs/intro?utm_campaign=launch&utm_source=news');
    document.title = 'Intro';
    const pages = await sent(async (client) => {
      await client.page();
      await client.page('Home');
      await client.page('Docs', 'Intro', { section: 1 });
      await client.page('Pricing', { plan: 'pro' });
    });
    expect(pages.map((page) => [page.type, 'category' in page && page.category, 'name' in page && page.name])).toEqual([
      ['page', false, false],
      ['page', false, 'Home'],
      ['page', 'Docs', 'Intro'],
      ['page', false, 'Pricing'],
    ]);
    expect(pages[2]).toMatchObject({
      properties: { section: 1, path: '/docs/intro', title: 'Intro', search: '?utm_campaign=launch&utm_source=news' },
    });
    expect(pages[3]).toMatchObject({ properties: { plan: 'pro' } });
  });

  it('group and alias', async () => {
    const [group, alias] = await sent(async (client) => {
      await client.group('acme', { seats: 3 });
      await client.alias('user-9');
    });
    expect(group).toMatchObject({ type: 'group', groupId: 'acme', traits: { seats: 3 } });
    expect(alias).toMatchObject({ type: 'alias', userId: 'user-9', previousId: group?.anonymousId });
  });

  it('reset gives later events a new anonymousId and no user', async () => {
    const [before, after] = await sent(async (client) => {
      await client.identify('user-1');
      client.reset();
      await client.track('After reset');
    });
    expect(after?.anonymousId).not.toBe(before?.anonymousId);
    expect(after?.userId).toBeUndefined();
  });

  it('rejects a call that fails the type checks with an InvalidEventError naming the field', async () => {
    const { client } = newClient();
    await expect(client.track('')).rejects.toBeInstanceOf(InvalidEventError);
    await expect(client.track('Bad', [] as never)).rejects.toMatchObject({ field: 'properties' });
  });

  it('leaves the deep checks to the server, and reports dropped an event it rejects', async () => {
    // What the server answers for a value nested past its limit (the SDK no longer walks values).
    weft.script = () => status(400, {}, { error: { code: 'invalid_event', message: 'too deep' } });
    const { client, droppedIds } = newClient();
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 70; level++) deep = { deep };
    await client.track('Deep', deep);
    await client.flush();
    expect(weft.requests).toHaveLength(1);
    expect(droppedIds()).toEqual([weft.requests[0]?.batch[0]?.messageId]);
  });

  it('rejects a call whose properties JSON cannot write, also after waiting for consent', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const { client } = newClient({ consent: { initial: { analytics: false } } });
    const waiting = client.track('Cyclic', cyclic);
    client.setConsent({ analytics: true });
    await expect(waiting).rejects.toBeInstanceOf(TypeError);
    await expect(client.track('Cyclic again', cyclic)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('context', () => {
  it('describes the library, page, browser and campaign; the options and the call override it', async () => {
    window.history.pushState({}, '', '/shop?utm_campaign=spring&utm_medium=email');
    const { client } = newClient({ context: { app: 'shop' } });
    await client.track('Viewed', {}, { context: { locale: 'fr-FR' }, timestamp: 0 });
    await client.flush();
    const event = weft.requests[0]?.batch[0];
    expect(event?.context).toMatchObject({
      library: { name: '@weft/browser', version: VERSION },
      page: { path: '/shop', url: 'http://localhost:3000/shop?utm_campaign=spring&utm_medium=email' },
      userAgent: navigator.userAgent,
      locale: 'fr-FR',
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: expect.any(Number), height: expect.any(Number) },
      campaign: { name: 'spring', medium: 'email' },
      app: 'shop',
    });
    expect(event?.timestamp).toBe('1970-01-01T00:00:00.000Z');
    expect(typeof weft.requests[0]?.body.sentAt).toBe('string');
  });

  it('reflects a URL changed with history.pushState on the next call', async () => {
    window.history.pushState({}, '', '/first?utm_source=news');
    const { client } = newClient();
    await client.track('One');
    window.history.pushState({}, '', '/second');
    document.title = 'Second';
    await client.track('Two');
    await client.flush();
    const [one, two] = weft.requests.flatMap((request) => request.batch);
    expect(one?.context).toMatchObject({ page: { path: '/first' }, campaign: { source: 'news' } });
    expect(two?.context).toMatchObject({
      page: { path: '/second', search: '', title: 'Second', url: 'http://localhost:3000/second' },
    });
    expect(two?.context).not.toHaveProperty('campaign');
  });

  it('resolves the timezone once per client, not once per call', async () => {
    const resolvedOptions = vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions');
    const { client } = newClient();
    for (let call = 0; call < 5; call++) await client.track('Repeated');
    expect(resolvedOptions.mock.calls.length).toBeLessThanOrEqual(1);
    resolvedOptions.mockRestore();
  });
});
