import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sendLoad } from './support/load.js';
import {
  basicAuth,
  fetchMetrics,
  killStrayServers,
  startServerProcess,
  testWriteKey,
} from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-crash-'));
afterAll(() => {
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('keeps, exactly once, every event answered 200 before a SIGKILL during load', { timeout: 60_000 }, async () => {
    const database = await openTestDatabase(dir);
    const first = await startServerProcess(database.url);
    let killedAt = 0;
    const acceptedSoFar = () =>
      fetchMetrics(first.url).then(
        (text) => Number(/^weft_events_accepted_total (\d+)/m.exec(text)?.[1] ?? 0),
        () => 0,
      );
    // Kill once some batches are acknowledged, while the loops still have requests in flight.
    // waitFor leaves no timer behind whether the count is reached or the deadline passes.
    const killed = waitFor(async () => (await acceptedSoFar()) >= 2000, { timeoutMs: 30_000 }).then((reached) => {
      if (!reached) return;
      first.child.kill('SIGKILL');
      killedAt = Date.now();
    });
    const load = await sendLoad({
      url: first.url,
      writeKey: testWriteKey,
      connections: 8,
      batchSize: 20,
      maxRequests: 100_000,
      // A little more load after the kill, so that requests are in flight when it lands.
      until: killed.then(() => sleep(300)),
    });
    // The poll has ended either way now; without the kill (deadline passed) stop the server before failing.
    await killed;
    if (killedAt === 0) first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(load.acknowledged.length).toBeGreaterThanOrEqual(2000);
    expect(load.failedRequests).toBeGreaterThan(0);

    // Restart on the same database; resending an acknowledged batch must not store it twice.
    const second = await startServerProcess(database.url);
    const resent = load.acknowledged.slice(0, 20);
    const res = await fetch(`${second.url}/v1/batch`, {
      method: 'POST',
      headers: { Authorization: basicAuth(testWriteKey) },
      body: JSON.stringify({
        batch: resent.map((messageId) => ({ type: 'track', event: 'Load', userId: 'u', messageId })),
      }),
    });
    expect(await res.json()).toMatchObject({ accepted: 0, deduplicated: 20 });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const counts = new Map(
      (
        await database.query<{ message_id: string; n: number | string }>(
          'SELECT message_id, count(*) AS n FROM events GROUP BY message_id',
        )
      ).map((row) => [row.message_id, Number(row.n)]),
    );
    await database.close();
    const missing = load.acknowledged.filter((id) => counts.get(id) !== 1);
    expect(missing).toEqual([]);
  });
});
