// @vitest-environment jsdom
// The visitor after a crash that lost the cookie and localStorage but kept IndexedDB (Chromium
// writes the first two lazily). Each test's second client is the next start of the page.
import { describe, expect, it } from 'vitest';
import { clearCookies, newClient, setCookie, settle, status, useBrowserTestbed } from './browser.test-support.js';

const weft = useBrowserTestbed();

/** What survives a browser crash: IndexedDB only. */
function loseCookiesAndLocalStorage() {
  clearCookies();
  localStorage.clear();
}

describe('identity across a crash', () => {
  it('recovers the anonymousId and user from IndexedDB, and sends the queued events under them', async () => {
    weft.script = () => status(503);
    const first = newClient();
    await first.client.identify('user-1', { plan: 'pro' });
    await first.client.track('Before crash');
    const before = first.client.user();
    await first.client.close();
    loseCookiesAndLocalStorage();

    weft.script = () => undefined;
    const second = newClient();
    // A call made before IndexedDB was read still gets the recovered visitor.
    const tracked = second.client.track('After crash');
    await second.client.ready();
    expect(second.client.user()).toEqual(before);
    await tracked;
    // The first page's lease (10 s) runs out, and the second takes its events.
    await settle(14_000);
    await second.client.flush();
    const events = [...weft.stored.values()];
    expect(events.map((event) => event.event ?? event.type).sort()).toEqual([
      'After crash',
      'Before crash',
      'identify',
    ]);
    for (const event of events) expect(event).toMatchObject({ anonymousId: before.anonymousId, userId: 'user-1' });
  });

  it('does not bring back the user a reset removed, though the cookie and localStorage of before it survived', async () => {
    const first = newClient();
    await first.client.identify('user-1');
    const staleCookie = document.cookie;
    const staleStorage = { ...localStorage };
    first.client.reset();
    await first.client.track('After reset');
    const afterReset = first.client.user();
    await first.client.close();
    loseCookiesAndLocalStorage();
    for (const pair of staleCookie.split('; ')) setCookie(`${pair}; path=/`);
    for (const [key, value] of Object.entries(staleStorage)) localStorage.setItem(key, value);

    const second = newClient();
    await second.client.ready();
    expect(second.client.user()).toEqual(afterReset);
    expect(second.client.user().id).toBeUndefined();
  });

  it('applies an identify made before IndexedDB was read on top of the recovered visitor', async () => {
    const first = newClient();
    await first.client.track('First page');
    const { anonymousId } = first.client.user();
    await first.client.close();
    loseCookiesAndLocalStorage();

    const second = newClient();
    const identified = second.client.identify('user-2');
    await second.client.ready();
    await identified;
    expect(second.client.user()).toMatchObject({ anonymousId, id: 'user-2' });
  });
});
