// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { newClient, settle, useBrowserTestbed } from './browser.test-support.js';

const weft = useBrowserTestbed();

function spyFetch() {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
}

const keepaliveCalls = (spy: ReturnType<typeof spyFetch>) =>
  spy.mock.calls.filter(([, init]) => init?.keepalive === true).map(([, init]) => init?.body as string);

describe('as the page goes away', () => {
  it('sends the queue at once with keepalive, within 60 KB, and keeps it queued until acknowledged', async () => {
    const fetchSpy = spyFetch();
    const { client } = newClient({ storage: 'localStorage' }, { fetch: fetchSpy });
    const padding = 'x'.repeat(1_000);
    for (let index = 0; index < 100; index++) await client.track(`Event ${index}`, { padding });
    window.dispatchEvent(new Event('pagehide'));
    const bodies = keepaliveCalls(fetchSpy);
    expect(bodies).toHaveLength(1);
    const body = bodies[0] ?? '';
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(60_000);
    const sentAtUnload = (JSON.parse(body) as { batch: unknown[] }).batch.length;
    expect(sentAtUnload).toBeGreaterThan(30);
    expect(sentAtUnload).toBeLessThan(100);
    // Still stored: a page that lives on sends them again (the server dedupes).
    expect(Object.keys(JSON.parse(localStorage.getItem('weft:v1:queue:wk_browser_test') ?? '{}'))).toHaveLength(100);
    await settle(0);
    await client.flush();
    expect(weft.stored.size).toBe(100);
    expect(localStorage.getItem('weft:v1:queue:wk_browser_test')).toBe('{}');
  });

  it('sends on a switch to another tab (visibilitychange to hidden), not on the way back', async () => {
    const fetchSpy = spyFetch();
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    const { client } = newClient({}, { fetch: fetchSpy });
    await client.track('Before hiding');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(keepaliveCalls(fetchSpy)).toHaveLength(0);
    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(keepaliveCalls(fetchSpy)).toHaveLength(1);
    await settle(0);
    expect([...weft.stored.values()].map((event) => event.event)).toEqual(['Before hiding']);
  });

  it('keeps the budget shared when pagehide follows visibilitychange at once', async () => {
    const fetchSpy = vi.fn((_input: RequestInfo | URL, init?: RequestInit) =>
      init?.keepalive ? new Promise<Response>(() => undefined) : fetch(_input, init),
    );
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const { client } = newClient({}, { fetch: fetchSpy });
    const padding = 'x'.repeat(1_000);
    for (let index = 0; index < 100; index++) await client.track(`Event ${index}`, { padding });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide'));
    const total = keepaliveCalls(fetchSpy).reduce((sum, body) => sum + new TextEncoder().encode(body).length, 0);
    expect(total).toBeLessThanOrEqual(60_000);
  });
});
