// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { newClient, settle, useBrowserTestbed } from './browser.test-support.js';

const weft = useBrowserTestbed();

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((database) => database.name ?? '');
}

describe('consent', () => {
  it('writes nothing to the device and sends nothing before consent; events wait in memory', async () => {
    const { client } = newClient({ consent: { initial: { analytics: false } } });
    let isQueued = false;
    void client.track('Early').then(() => (isQueued = true));
    void client.identify('user-1', { plan: 'pro' });
    await settle(10_000);
    expect(isQueued).toBe(false);
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect(await databaseNames()).toEqual([]);
    expect(await client.flush()).toEqual({ isComplete: false, pending: 2 });
    expect(weft.requests).toHaveLength(0);
  });

  it('queues the waiting events once granted, stamped with the consent state', async () => {
    const { client } = newClient({ consent: { initial: { analytics: false, marketing: false } } });
    const tracked = client.track('Early');
    client.setConsent({ analytics: true });
    await tracked;
    expect(document.cookie).toContain('weft_anonymous_id=');
    await client.flush();
    expect(weft.requests[0]?.batch[0]?.context.consent).toEqual({
      categoryPreferences: { analytics: true, marketing: false },
      categories: ['analytics'],
    });
  });

  it('holds an event needing another category until that one is granted too', async () => {
    const { client } = newClient({ consent: { initial: { analytics: true, marketing: false } } });
    void client.track('Ad Clicked', {}, { categories: ['marketing'] });
    await client.track('Page Read');
    await client.flush();
    expect(weft.sentIds).toHaveLength(1);
    client.setConsent({ marketing: true });
    await settle(0);
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Page Read', 'Ad Clicked']);
  });

  it('purges queued events of a category when it is revoked, and keeps the others', async () => {
    const { client, droppedIds } = newClient({
      storage: 'localStorage',
      consent: { initial: { analytics: true, marketing: true } },
    });
    await client.track('Ad Clicked', {}, { categories: ['marketing'] });
    await client.track('Page Read');
    client.setConsent({ marketing: false });
    await settle(0);
    expect(droppedIds('purged')).toHaveLength(1);
    expect(localStorage.getItem('weft:v1:queue:wk_browser_test')).not.toContain('Ad Clicked');
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Page Read']);
  });

  it('drops events without consent when asked to, and reports them', async () => {
    const { client, droppedIds } = newClient({ consent: { initial: {}, onDenied: 'drop' } });
    await client.track('Dropped');
    expect(droppedIds()).toHaveLength(1);
    client.setConsent({ analytics: true });
    await client.flush();
    expect(weft.requests).toHaveLength(0);
  });

  it('counts every category as granted when consent is not managed, and stamps nothing', async () => {
    const { client } = newClient();
    await client.track('Free');
    await client.flush();
    expect(weft.requests[0]?.batch[0]?.context.consent).toBeUndefined();
  });
});

describe('middleware', () => {
  it('enriches events before they are queued, in order, sync or async', async () => {
    const { client } = newClient({
      middleware: [(event) => ({ ...event, context: { ...event.context, first: 1 } })],
    });
    client.addMiddleware(async (event) => ({ ...event, context: { ...event.context, second: event.context.first } }));
    await client.track('Enriched');
    await client.flush();
    expect(weft.requests[0]?.batch[0]?.context).toMatchObject({ first: 1, second: 1 });
  });

  it('drops an event when a middleware returns null, before anything is stored', async () => {
    const { client } = newClient({
      storage: 'localStorage',
      middleware: [(event) => (event.type === 'track' && event.event === 'Secret' ? null : event)],
    });
    await client.track('Secret');
    await client.track('Public');
    expect(localStorage.getItem('weft:v1:queue:wk_browser_test')).not.toContain('Secret');
    await client.flush();
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Public']);
  });
});
