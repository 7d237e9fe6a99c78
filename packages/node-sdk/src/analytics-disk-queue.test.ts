import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, status, useMswWeft } from './analytics.test-support.js';

const weft = useMswWeft();
let dir: string;
beforeEach(() => {
  // File writes and fake time do not mix: these tests run on real time, with short intervals.
  vi.useRealTimers();
  dir = mkdtempSync(join(tmpdir(), 'weft-node-queue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the disk queue', () => {
  it('keeps what a closed client could not send, without reporting it dropped, for the next client on the directory', async () => {
    weft.script = () => status(503);
    const first = createClient({ queue: { dir, fsync: false }, flushAt: 1 });
    const ids = first.track(3);
    await Promise.all(ids.map(() => first.analytics.ready));
    expect(await first.analytics.closeAndFlush({ timeout: 200 })).toMatchObject({ isComplete: false });
    expect(first.droppedIds()).toEqual([]);
    expect(weft.stored.size).toBe(0);

    weft.script = () => undefined;
    const second = createClient({ queue: { dir, fsync: false }, flushAt: 1 });
    await second.analytics.ready;
    expect(second.analytics.queued).toBe(3);
    expect(await second.analytics.flush()).toEqual({ isComplete: true, pending: 0 });
    expect([...weft.stored.keys()].sort()).toEqual(ids);
    await second.analytics.closeAndFlush();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resolves a call once its event is on disk', async () => {
    weft.script = () => status(503);
    const { analytics } = createClient({ queue: { dir, fsync: true }, flushInterval: 60_000 });
    await analytics.track({ userId: 'u', event: 'Durable', messageId: 'durable-1' });
    const [file] = readdirSync(dir);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, file as string), 'utf8')).toContain('durable-1');
  });

  it('gives two live clients on one directory their own files, so neither sends the other’s events', async () => {
    weft.script = () => status(503);
    const one = createClient({ queue: { dir, fsync: false }, flushInterval: 60_000 });
    const two = createClient({ queue: { dir, fsync: false }, flushInterval: 60_000 });
    await one.analytics.track({ userId: 'u', event: 'One', messageId: 'one' });
    await two.analytics.track({ userId: 'u', event: 'Two', messageId: 'two' });
    const three = createClient({ queue: { dir, fsync: false } });
    await three.analytics.ready;
    expect(three.analytics.queued).toBe(0);
    expect(readdirSync(dir)).toHaveLength(3);
  });
});
