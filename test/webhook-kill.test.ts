import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../packages/server/src/webhooks/webhook-test-kit.js';
import { readWholeFeed } from './support/change-feed.js';
import { sendLoad } from './support/load.js';
import { killStrayServers, startServerProcess, testAdminToken, testWriteKey } from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-webhook-kill-'));
let receiver: Receiver | undefined;
afterEach(async () => {
  killStrayServers();
  await receiver?.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const admin = { Authorization: `Bearer ${testAdminToken}`, 'Content-Type': 'application/json' };
const serverEnv = {
  WEFT_WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
  WEFT_WEBHOOK_RETRY_SCHEDULE: '200ms,500ms,1s,2s,5s',
  // On PostgreSQL the restarted server is a new lease holder: the killed one's leases run out first.
  WEFT_LEASE_TTL: '3s',
};

describe('webhooks across a SIGKILL', () => {
  it('every change reaches the receiver once per webhook-id, verified and in order per contact, across a kill mid-delivery', {
    timeout: 60_000,
  }, async () => {
    receiver = await startReceiver();
    // Slow enough that attempts are in flight when the server dies; every 7th first attempt fails.
    const seen = new Set<string>();
    let requests = 0;
    receiver.answer = (request) => {
      requests += 1;
      const isFirst = !seen.has(request.id);
      seen.add(request.id);
      return isFirst && requests % 7 === 0 ? { status: 500 } : { status: 204 };
    };
    const database = await openTestDatabase(dir, 'kill.db');
    const first = await startServerProcess(database.url, serverEnv);
    const created = await fetch(`${first.url}/v1/webhooks`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ url: receiver.url, types: ['contact.created', 'event.stored'] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
      setTimeout(resolve, 20_000).unref();
    });
    const load = sendLoad({
      url: first.url,
      writeKey: testWriteKey,
      connections: 2,
      batchSize: 10,
      maxRequests: 10_000,
      until: stopped,
    });
    expect(await waitFor(() => receiver !== undefined && receiver.received.length >= 300, { timeoutMs: 20_000 })).toBe(
      true,
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = await startServerProcess(database.url, { ...serverEnv, PORT: String(first.port) });
    await sleep(1_000);
    stop();
    await load;

    const feed = (await readWholeFeed(second.url)).filter((change) =>
      ['contact.created', 'event.stored'].includes(change.type),
    );
    const seqOf = (id: string) => Number(id.split('_')[1]);
    const wanted = new Set(feed.map((change) => seqOf(change.id)));
    const firstReceipts = () => {
      const ids = new Set<string>();
      return (receiver as Receiver).received.filter((request) => !ids.has(request.id) && ids.add(request.id));
    };
    expect(
      await waitFor(() => firstReceipts().length >= wanted.size, { timeoutMs: 30_000, intervalMs: 100 }),
      `${firstReceipts().length} of ${wanted.size} changes received`,
    ).toBe(true);

    const receipts = firstReceipts();
    expect(new Set(receipts.map((request) => Number(request.id.split('_')[1])))).toEqual(wanted);
    const verifier = new Webhook(secret);
    for (const request of receiver.received) {
      expect(() =>
        verifier.verify(request.body, {
          'webhook-id': request.id,
          'webhook-timestamp': String(request.timestamp),
          'webhook-signature': request.signature,
        }),
      ).not.toThrow();
    }
    // A contact's changes first arrived in feed order.
    const byContact = new Map<string, number[]>();
    for (const request of receipts) {
      const contact = String(request.payload.data.contactId);
      byContact.set(contact, [...(byContact.get(contact) ?? []), Number(request.id.split('_')[1])]);
    }
    for (const [contact, seqs] of byContact) {
      expect(seqs, `changes of ${contact}`).toEqual([...seqs].sort((a, b) => a - b));
    }
    const repeats = receiver.received.length - receipts.length;
    console.log(
      `webhook SIGKILL: ${wanted.size} changes, ${receiver.received.length} requests (${repeats} repeats: retries and attempts the kill cut short)`,
    );
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await database.close();
  });
});
