// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { HOST, settle, useBrowserTestbed, WRITE_KEY } from './browser.test-support.js';

const weft = useBrowserTestbed();

type Weft = Record<string, (...args: unknown[]) => unknown>;
const host = window as unknown as { weft?: unknown };

/** The README's snippet, minus the script element: an array that records calls. */
function runSnippet(): Weft {
  const stub = [] as unknown as unknown[][] & Weft;
  for (const method of ['load', 'identify', 'track', 'page', 'group', 'alias', 'reset', 'flush', 'setConsent']) {
    stub[method] = (...args: unknown[]) => {
      stub.push([method, ...args]);
    };
  }
  host.weft = stub;
  return stub;
}

async function loadBundle(): Promise<Weft> {
  vi.resetModules();
  await import('./script-tag.js');
  return host.weft as Weft;
}

describe('script tag', () => {
  it('replays the calls the snippet buffered, load first, in order', async () => {
    const stub = runSnippet();
    stub.identify?.('user-1');
    stub.load?.({ writeKey: WRITE_KEY, host: HOST });
    stub.track?.('Buffered');
    const loaded = await loadBundle();
    expect(loaded).not.toBe(stub);
    await settle(0);
    await loaded.flush?.();
    const events = weft.requests.flatMap((request) => request.batch);
    expect(events.map((event) => event.type)).toEqual(['identify', 'track']);
    expect(events[1]?.userId).toBe('user-1');
    await loaded.close?.();
  });

  it('works on window.weft directly once loaded, as analytics.js does', async () => {
    host.weft = undefined;
    const loaded = await loadBundle();
    loaded.track?.('Before load');
    loaded.load?.({ writeKey: WRITE_KEY, host: HOST, flushAt: 100 });
    await loaded.page?.('Home');
    await loaded.track?.('After load');
    await settle(0);
    await loaded.flush?.();
    expect(weft.requests.flatMap((request) => request.batch.map((event) => event.type))).toEqual([
      'track',
      'page',
      'track',
    ]);
    expect(loaded.user?.()).toMatchObject({ anonymousId: expect.any(String) });
    await loaded.close?.();
  });
});
