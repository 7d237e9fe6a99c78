// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeItem } from '../../../core/src/queue/store.contract.js';
import { createUnloadSender } from './unload-sender.js';

const URL = 'http://weft.test/v1/batch';
const bigItem = (id: string, size: number) => {
  const json = JSON.stringify({ type: 'track', event: 'Big', messageId: id, properties: { pad: 'x'.repeat(size) } });
  return makeItem(id, { json, bytes: json.length });
};

afterEach(() => vi.unstubAllGlobals());

describe('unload sender', () => {
  it('sends one keepalive text/plain request carrying the write key, within the budget', () => {
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    const send = createUnloadSender({ url: URL, writeKey: 'wk', budgetBytes: 5_000, fetch, now: () => 0 });
    const items = Array.from({ length: 10 }, (_, index) => bigItem(`id-${index}`, 900));
    const sent = send(items);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(10);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(URL);
    expect(init).toMatchObject({ method: 'POST', keepalive: true, headers: { 'content-type': 'text/plain' } });
    const body = init.body as string;
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(5_000);
    const parsed = JSON.parse(body) as { writeKey: string; batch: { messageId: string }[]; sentAt: string };
    expect(parsed.writeKey).toBe('wk');
    expect(parsed.batch.map((event) => event.messageId)).toEqual(items.slice(0, sent).map((item) => item.id));
    expect(parsed.sentAt).toBe(new Date(0).toISOString());
  });

  it('shares the budget with its requests still in flight, and gets it back when they end', async () => {
    let finish: () => void = () => undefined;
    const fetch = vi.fn(
      () =>
        new Promise<Response>((resolve) => {
          finish = () => resolve(new Response('{}'));
        }),
    );
    const send = createUnloadSender({ url: URL, writeKey: 'wk', budgetBytes: 2_500, fetch, now: () => 0 });
    const items = [bigItem('a', 1_000), bigItem('b', 1_000), bigItem('c', 1_000)];
    expect(send(items)).toBe(2);
    expect(send(items)).toBe(0);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    expect(send(items)).toBe(2);
  });

  it('does not send again an event whose unload request is still in flight (pagehide after visibilitychange)', () => {
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    const send = createUnloadSender({ url: URL, writeKey: 'wk', budgetBytes: 60_000, fetch, now: () => 0 });
    expect(send([makeItem('a'), makeItem('b')])).toBe(2);
    expect(send([makeItem('a'), makeItem('b'), makeItem('c')])).toBe(1);
    const second = JSON.parse((fetch.mock.calls[1] as unknown as [string, RequestInit])[1].body as string);
    expect(second.batch.map((event: { messageId: string }) => event.messageId)).toEqual(['c']);
  });

  it('falls back to sendBeacon where fetch throws at once', () => {
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon });
    const fetch = vi.fn(() => {
      throw new TypeError('keepalive is not supported');
    });
    const send = createUnloadSender({ url: URL, writeKey: 'wk', budgetBytes: 60_000, fetch, now: () => 0 });
    expect(send([makeItem('a')])).toBe(1);
    expect(sendBeacon).toHaveBeenCalledWith(URL, expect.stringContaining('"writeKey":"wk"'));
  });

  it('sends nothing when there is nothing queued', () => {
    const fetch = vi.fn();
    const send = createUnloadSender({ url: URL, writeKey: 'wk', budgetBytes: 60_000, fetch, now: () => 0 });
    expect(send([])).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
  });
});
