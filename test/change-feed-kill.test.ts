import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { feedHead, readWholeFeed } from './support/change-feed.js';
import { killStrayConsumers, readReceived, startFeedConsumer } from './support/feed-consumer.js';
import { compareDelivery } from './support/feed-delivery.js';
import { type LoadResult, sendLoad } from './support/load.js';
import { killStrayServers, startServerProcess, testWriteKey } from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-feed-kill-'));
const loadStops = new Set<() => void>();
// A failed test leaves nothing running into the next one.
afterEach(() => {
  for (const stop of loadStops) stop();
  loadStops.clear();
  killStrayConsumers();
  killStrayServers();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Batches of 20 from 4 loops until `stop()`, or 20 s should a test fail first. The request cap is
 * high because the attempts that fail while a server restarts count against it too.
 */
function startLoad(url: string): { stop: () => void; done: Promise<LoadResult> } {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
    loadStops.add(resolve);
    setTimeout(resolve, 20_000).unref();
  });
  const done = sendLoad({
    url,
    writeKey: testWriteKey,
    connections: 4,
    batchSize: 20,
    maxRequests: 10_000,
    until: stopped,
  });
  return { stop, done };
}

const hasRecorded = (file: string, count: number) =>
  waitFor(() => readReceived(file).length >= count, { timeoutMs: 20_000, intervalMs: 50 });

/** Once ingest has stopped: waits until the last change the consumer recorded is the feed's head. */
async function hasCaughtUp(url: string, file: string): Promise<boolean> {
  const head = await feedHead(url);
  return waitFor(() => readReceived(file).at(-1)?.cursor === head, { timeoutMs: 20_000, intervalMs: 100 });
}

/**
 * The consumer's file against a full read of GET /v1/changes from the start: no change missing, none
 * altered, each contact's changes in feed order, and every acknowledged event's event.stored there.
 * Duplicates are allowed (at-least-once) and reported.
 */
async function expectDelivered(
  label: string,
  { url, file, load }: { url: string; file: string; load: LoadResult },
): Promise<void> {
  const feed = await readWholeFeed(url);
  const report = compareDelivery(feed, readReceived(file));
  const summary =
    `${label}: ${feed.length} changes in the feed, ${report.missing.length} missing, ${report.duplicates} ` +
    `duplicates, ${load.acknowledged.length} events acknowledged, ${load.failedRequests} requests failed`;
  console.log(summary);
  expect(report, summary).toMatchObject({ missing: [], mismatched: [], outOfOrderContacts: [] });
  const stored = new Set(feed.filter((change) => change.type === 'event.stored').map((change) => change.messageId));
  expect(
    load.acknowledged.filter((messageId) => !stored.has(messageId)),
    'acknowledged events without an event.stored change',
  ).toEqual([]);
}

describe('the change feed across kills', () => {
  it('resumes a consumer SIGKILLed mid-stream after the last change it recorded, missing none', {
    timeout: 45_000,
  }, async () => {
    const database = await openTestDatabase(dir, 'consumer-kill.db');
    const server = await startServerProcess(database.url);
    const file = join(dir, 'consumer-kill.jsonl');
    const load = startLoad(server.url);
    const first = startFeedConsumer(server.url, file);
    expect(await hasRecorded(file, 500), first.output()).toBe(true);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const lastRecorded = readReceived(file).at(-1)?.cursor;
    const headAtKill = await feedHead(server.url);

    // Changes keep coming while no consumer reads, and while the next one does.
    await sleep(300);
    const second = startFeedConsumer(server.url, file);
    expect(await waitFor(() => second.connections().length > 0, { timeoutMs: 10_000 }), second.output()).toBe(true);
    await sleep(500);
    load.stop();
    const loadResult = await load.done;
    expect(await hasCaughtUp(server.url, file), second.output()).toBe(true);
    second.child.kill('SIGKILL');
    await second.exited;

    expect(second.connections()[0], 'the restarted consumer sent Last-Event-ID: its last recorded cursor').toBe(
      lastRecorded,
    );
    const headAfter = await feedHead(server.url);
    expect(headAfter, 'ingest went on after the kill').not.toBe(headAtKill);
    await expectDelivered('consumer SIGKILL', { url: server.url, file, load: loadResult });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    await database.close();
  });

  it('resumes a consumer on a server restarted after a SIGKILL during ingest, missing no change or acknowledged event', {
    timeout: 45_000,
  }, async () => {
    const database = await openTestDatabase(dir, 'server-kill.db');
    const first = await startServerProcess(database.url);
    const file = join(dir, 'server-kill.jsonl');
    const load = startLoad(first.url);
    const consumer = startFeedConsumer(first.url, file);
    expect(await hasRecorded(file, 500), consumer.output()).toBe(true);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // Once the consumer has seen its stream end, it has recorded what reached it before the kill.
    expect(await waitFor(() => consumer.lostStreams() > 0, { timeoutMs: 10_000 }), consumer.output()).toBe(true);
    const lastRecorded = readReceived(file).at(-1)?.cursor;

    // The same address: the load and the consumer reconnect to it, as to a restarted service.
    const second = await startServerProcess(database.url, { PORT: String(first.port) });
    const headAtRestart = await feedHead(second.url);
    expect(await waitFor(() => consumer.connections().length >= 2, { timeoutMs: 10_000 }), consumer.output()).toBe(
      true,
    );
    await sleep(500);
    load.stop();
    const loadResult = await load.done;
    expect(await hasCaughtUp(second.url, file), consumer.output()).toBe(true);
    consumer.child.kill('SIGKILL');
    await consumer.exited;

    expect(consumer.connections().slice(0, 2), 'it reconnected with Last-Event-ID: its last recorded cursor').toEqual([
      undefined,
      lastRecorded,
    ]);
    expect(loadResult.failedRequests, 'the kill landed during ingest').toBeGreaterThan(0);
    expect(await feedHead(second.url), 'ingest went on after the restart').not.toBe(headAtRestart);
    await expectDelivered('server SIGKILL', { url: second.url, file, load: loadResult });
    const cursors = (await readWholeFeed(second.url)).map((change) => change.cursor);
    const backlog = cursors.indexOf(headAtRestart) - cursors.indexOf(lastRecorded ?? '');
    console.log(`server SIGKILL: ${backlog} changes committed before the kill were yet to reach the consumer`);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await database.close();
  });
});
