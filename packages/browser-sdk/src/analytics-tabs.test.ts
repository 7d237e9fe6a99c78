// @vitest-environment jsdom
// Two clients on one IndexedDB stand for two tabs of one site.
import { createStore, get, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { newClient, settle, status, useBrowserTestbed, WRITE_KEY } from './browser.test-support.js';
import type { OwnedRecord } from './queue/lease.js';

const weft = useBrowserTestbed();

function expectNoDuplicates(ids: string[]) {
  expect(ids.length).toBe(new Set(ids).size);
}

describe('several tabs', () => {
  it('sends each tab’s events once, from that tab only', async () => {
    const a = newClient({ flushAt: 3 });
    const b = newClient({ flushAt: 3 });
    await Promise.all([a.client.ready(), b.client.ready()]);
    for (let round = 0; round < 3; round++) {
      await a.client.track(`A${round}`);
      await b.client.track(`B${round}`);
      await settle(3_000);
    }
    await Promise.all([a.client.flush(), b.client.flush()]);
    expectNoDuplicates(weft.sentIds);
    expect(weft.stored.size).toBe(6);
    for (const request of weft.requests) {
      const tabs = new Set(request.batch.map((event) => event.event?.[0]));
      expect(tabs.size).toBe(1);
    }
  });

  it('never sends an event another live tab holds, even while that tab keeps failing for a minute', async () => {
    weft.script = (request) => (request.batch.some((event) => event.event === 'Stuck') ? status(503) : undefined);
    const a = newClient();
    await a.client.track('Stuck');
    void a.client.flush();
    const b = newClient();
    await b.client.ready();
    for (let second = 0; second < 60; second += 2) {
      await settle(2_000);
      await b.client.track(`B at ${second}`);
    }
    await b.client.flush();
    const fromB = weft.requests.filter((request) => request.batch.some((event) => event.event?.startsWith('B')));
    expect(fromB.length).toBeGreaterThan(0);
    for (const request of fromB) expect(request.batch.map((event) => event.event)).not.toContain('Stuck');
  });

  it('takes over the events of a tab that closed once its lease ran out', async () => {
    const a = newClient();
    const b = newClient();
    await b.client.ready();
    await Promise.all([a.client.track('Orphan 1'), a.client.track('Orphan 2')]);
    await a.client.close();
    await settle(5_000);
    expect(weft.requests).toHaveLength(0);
    await settle(9_000);
    await b.client.flush();
    expect([...weft.stored.values()].map((event) => event.event).sort()).toEqual(['Orphan 1', 'Orphan 2']);
    expectNoDuplicates(weft.sentIds);
  });

  it('keeps a slow request’s events from a second tab until it is answered', async () => {
    weft.script = (_, index) =>
      index === 0 ? new Promise((resolve) => setTimeout(() => resolve(undefined), 8_000)) : undefined;
    const a = newClient({ requestTimeoutMs: 30_000 });
    await a.client.track('Slow');
    const flushed = a.client.flush();
    const b = newClient();
    await b.client.ready();
    await settle(20_000);
    await flushed;
    await b.client.flush();
    expect(weft.sentIds).toHaveLength(1);
  });

  it('reports an event dropped once even when another tab writes its record back and lets the lease lapse', async () => {
    weft.script = () => status(400, {}, { error: { code: 'bad', message: 'no' } });
    const a = newClient();
    await a.client.track('Doomed');
    const database = createStore(`weft:v1:queue:${WRITE_KEY}`, 'queue');
    await a.client.flush();
    const [id] = a.droppedIds();
    expect(a.droppedIds()).toHaveLength(1);
    // What a tab that claimed the event while this one was throttled leaves behind: its own copy,
    // written back with its retry counts, under a lease that then runs out (that tab froze too).
    const stored = weft.requests[0]?.batch[0];
    expect(stored?.messageId).toBe(id);
    const json = JSON.stringify(stored);
    const record: OwnedRecord = {
      id: id as string,
      json,
      bytes: json.length,
      attempts: 1,
      retryTimeMs: 0,
      enqueuedAt: Date.now(),
      owner: 'tab-b',
      leaseUntil: Date.now() - 1,
    };
    await set(record.id, record, database);
    await settle(10_000);
    await a.client.flush();
    expect(a.droppedIds()).toEqual([id]);
    expect(weft.requests).toHaveLength(1);
    expect(await get(record.id, database)).toBeUndefined();
  });
});
