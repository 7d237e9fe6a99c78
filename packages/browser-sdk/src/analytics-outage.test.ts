// @vitest-environment jsdom
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { newClient, useBrowserTestbed } from './browser.test-support.js';

const weft = useBrowserTestbed();

/** Fake time on by `ms` in 2 s steps, letting IndexedDB (real setImmediate) finish between them. */
async function spend(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 2_000) {
    await vi.advanceTimersByTimeAsync(Math.min(left, 2_000));
    for (let round = 0; round < 5; round++) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a long offline spell', () => {
  it('keeps the IndexedDB queue through 2 hours offline and three page loads, then delivers every event', async () => {
    let isOffline = true;
    weft.script = () => (isOffline ? HttpResponse.error() : undefined);

    const first = newClient();
    await Promise.all([first.client.track('A'), first.client.track('B')]);
    await spend(20 * 60_000);
    await first.client.close();

    const second = newClient();
    await second.client.track('C');
    await spend(40 * 60_000);
    await second.client.close();

    const third = newClient();
    await third.client.ready();
    await spend(60 * 60_000);
    expect(weft.stored.size).toBe(0);
    isOffline = false;
    // Backoff is capped at 5 minutes: the next attempt comes within that.
    await spend(6 * 60_000);

    const names = [...weft.stored.values()].map((event) => event.event).sort();
    expect(names).toEqual(['A', 'B', 'C']);
    for (const handle of [first, second, third]) expect(handle.droppedIds()).toEqual([]);
  }, 120_000);
});
