// Long outages on fake time with the disk queue: retries are bounded by an event's age (24 h by
// default), not by a count an outage uses up. Files are written in real time while the timers
// run on fake time, so the clock moves a minute at a time and waits for the disk in between.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Client, createClient, status, useMswWeft } from './analytics.test-support.js';

const weft = useMswWeft();
const realSetTimeout = globalThis.setTimeout;
const ONE_MINUTE = 60_000;
const ONE_HOUR = 60 * ONE_MINUTE;
let dir: string;

beforeEach(() => {
  // Timers, Date and performance on fake time; setImmediate and I/O real, so files get written.
  vi.useFakeTimers({
    now: new Date('2026-11-29T12:00:00.000Z'),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
  dir = mkdtempSync(join(tmpdir(), 'weft-node-outage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Moves fake time on by `ms`, a step at a time, letting real file writes finish in between. */
async function passTime(ms: number, stepMs = ONE_MINUTE): Promise<void> {
  for (let passed = 0; passed < ms; passed += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - passed));
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

function diskClient(options: Parameters<typeof createClient>[0] = {}): Client {
  return createClient({ queue: { dir, fsync: false }, flushAt: 10, ...options });
}

async function trackOnDisk(client: Client, count: number): Promise<string[]> {
  const ids = client.track(count);
  await new Promise((resolve) => realSetTimeout(resolve, 20));
  return ids;
}

describe.each([
  ['10-minute', 10 * ONE_MINUTE],
  ['6-hour', 6 * ONE_HOUR],
])('a %s outage with the disk queue', (_name, outageMs) => {
  it('loses nothing: every event is delivered once the server is back, none reported dropped', {
    timeout: 60_000,
  }, async () => {
    let isDown = true;
    weft.script = () => (isDown ? status(503) : undefined);
    const client = diskClient();
    const ids = await trackOnDisk(client, 25);
    await passTime(outageMs / 2);
    ids.push(...(await trackOnDisk(client, 25)));
    await passTime(outageMs / 2);
    expect(weft.stored.size).toBe(0);
    expect(weft.requests.length).toBeGreaterThan(11);
    isDown = false;
    // The backoff is capped at 5 minutes: within them the queue notices the server is back.
    await passTime(6 * ONE_MINUTE);
    expect(client.droppedIds()).toEqual([]);
    expect([...weft.stored.keys()].sort()).toEqual(ids.sort());
    expect(client.analytics.queued).toBe(0);
  });
});

describe('the age limit with the disk queue', () => {
  it('drops an event still failing past maxEventAge, with the reason, across a restart', {
    timeout: 60_000,
  }, async () => {
    weft.script = () => status(503);
    const first = diskClient({ maxEventAge: 2 * ONE_HOUR });
    const ids = await trackOnDisk(first, 3);
    await passTime(ONE_HOUR);
    expect(first.droppedIds()).toEqual([]);
    const closed = first.analytics.closeAndFlush({ timeout: 0 });
    await passTime(1_000);
    await closed;
    // Down for half an hour: the next process reads the enqueue time its predecessor stored.
    vi.setSystemTime(Date.now() + 30 * ONE_MINUTE);
    const second = diskClient({ maxEventAge: 2 * ONE_HOUR });
    await second.analytics.ready;
    expect(second.analytics.queued).toBe(3);
    await passTime(20 * ONE_MINUTE);
    expect(second.droppedIds()).toEqual([]);
    await passTime(ONE_HOUR);
    expect(second.droppedIds('retry_limit').sort()).toEqual(ids.sort());
    const [dropped] = second.reports.dropped;
    expect(dropped?.reason.message).toMatch(/^maxEventAgeMs \(7200000\) reached after \d+ attempts.*HTTP 503/);
    expect(second.analytics.queued).toBe(0);
  });
});
