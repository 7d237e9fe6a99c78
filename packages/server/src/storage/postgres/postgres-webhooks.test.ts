import { afterEach, describe, expect, it } from 'vitest';
import type { DueMessage } from '../../webhooks/webhook-store.js';
import { startWebhookWorker } from '../../webhooks/webhook-worker.js';
import { newEvents } from '../store-harness.contract.js';
import { createPostgresLeaseStore } from './postgres-lease-store.js';
import { createPostgresPool } from './postgres-pool.js';
import { openPostgresParts } from './postgres-store-parts.js';
import { testPostgresUrl } from './postgres-test-kit.js';
import { createPostgresWebhookStore } from './webhooks/postgres-webhook-store.js';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

describe('PostgreSQL webhook store, several servers', () => {
  it('never queues a change twice nor hands one message, or one contact, to two servers at once', async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const servers = [postgres.store.webhooks];
    for (let n = 0; n < 2; n++) {
      const pool = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 4 });
      closing.push(() => pool.end());
      servers.push(createPostgresWebhookStore(pool));
    }
    const { endpoint } = await postgres.store.webhooks.create(
      { url: 'http://127.0.0.1:9/hooks', types: ['event.stored'] },
      postgres.clock.time,
    );
    const people = Array.from({ length: 30 }, (_, index) => index);
    for (const round of [1, 2, 3]) {
      await postgres.store.events.insertEvents(
        newEvents(
          postgres,
          people.map((person) => ({ type: 'track', userId: `u${person}`, event: `Round ${round}` })),
        ),
      );
    }
    const now = postgres.clock.time;
    // Every server reads the feed into the queue at once, a slice at a time.
    await Promise.all(servers.flatMap((server) => [1, 2, 3, 4].map(() => server.enqueue(endpoint.id, 20, now))));
    const queued = await postgres.schema.pool.query<{ seq: number; n: number }>(
      'SELECT seq, count(*)::int AS n FROM webhook_messages GROUP BY seq',
    );
    expect(queued.rows).toHaveLength(people.length * 3);
    expect(queued.rows.every((row) => row.n === 1)).toBe(true);

    // Then each takes due messages at once, delivering what it took, until none is left.
    const sent: DueMessage[] = [];
    const inFlight = new Set<string>();
    let overlaps = 0;
    await Promise.all(
      servers.map(async (server) => {
        for (;;) {
          const taken = await server.takeDue(
            endpoint.id,
            now,
            7,
            60_000,
            servers.indexOf(server) === 0 ? 'inOrder' : 'earliest',
          );
          if (taken.length === 0) {
            if (sent.length === people.length * 3) return;
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          for (const message of taken) {
            if (message.contactId !== null && inFlight.has(message.contactId)) overlaps++;
            if (message.contactId !== null) inFlight.add(message.contactId);
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
          sent.push(...taken);
          for (const message of taken) if (message.contactId !== null) inFlight.delete(message.contactId);
          await server.recordAttempts(
            endpoint.id,
            taken.map((message) => ({
              messageId: message.id,
              at: now,
              status: 204,
              error: null,
              snippet: '',
              outcome: 'delivered' as const,
              nextAttemptAt: null,
            })),
          );
        }
      }),
    );
    expect(overlaps).toBe(0);
    expect(new Set(sent.map((message) => message.id)).size).toBe(sent.length);
    expect(sent).toHaveLength(people.length * 3);
    // Each contact's rounds went in order.
    for (const person of people.map((index) => `u${index}`)) {
      const rounds = sent
        .filter(
          (message) =>
            (JSON.parse(message.body) as { data: { event: { userId: string } } }).data.event.userId === person,
        )
        .map((message) => (JSON.parse(message.body) as { data: { name: string } }).data.name);
      expect(rounds, person).toEqual(['Round 1', 'Round 2', 'Round 3']);
    }
  });

  it("takes an erased contact's queued messages with it, and those of the contacts merged into it", async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const { webhooks } = postgres.store;
    const { endpoint } = await webhooks.create({ url: 'http://127.0.0.1:9/hooks', types: ['event.stored'] }, 0);
    await postgres.store.events.insertEvents(
      newEvents(postgres, [
        { type: 'track', anonymousId: 'device', event: 'A' },
        { type: 'track', userId: 'gone', event: 'B' },
        { type: 'track', userId: 'kept', event: 'C' },
      ]),
    );
    await webhooks.enqueue(endpoint.id, 10, postgres.clock.time);
    // The device's contact is merged into the person's: its queued message keeps the device's id.
    await postgres.store.events.insertEvents(
      newEvents(postgres, [{ type: 'identify', userId: 'gone', anonymousId: 'device' }]),
    );
    const gone = await postgres.store.contacts.queries.profileByIdentifier('user_id', 'gone');
    await postgres.store.privacy.eraser.erase(gone?.id as number, { suppress: false });
    const left = await webhooks.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10);
    expect(left.map((message) => message.contactId)).toEqual([
      (await postgres.store.contacts.queries.profileByIdentifier('user_id', 'kept'))?.public_id,
    ]);
  });

  it('drops, when it falls due, a message queued for a contact erased meanwhile', async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const { webhooks } = postgres.store;
    const { endpoint } = await webhooks.create({ url: 'http://127.0.0.1:9/hooks', types: ['contact.created'] }, 0);
    await postgres.store.events.insertEvents(newEvents(postgres, [{ type: 'identify', userId: 'gone' }]));
    // A read of the feed that ran beside the erasure: it saw the change, the erasure did not see its row.
    const gone = await postgres.store.contacts.queries.profileByIdentifier('user_id', 'gone');
    const [change] = await postgres.store.changes.read({ after: 0, limit: 1 });
    await postgres.store.privacy.eraser.erase(gone?.id as number, { suppress: false });
    await postgres.schema.pool.query(
      `INSERT INTO webhook_messages (endpoint_id, webhook_id, seq, contact_id, type, body, status, next_attempt_at, created_at)
       VALUES ($1, 'msg_late', $2, $3, 'contact.created', '', 'pending', 0, 0)`,
      [endpoint.id, change?.seq, gone?.public_id],
    );
    expect(await webhooks.takeDue(endpoint.id, postgres.clock.time, 10, 60_000)).toEqual([]);
    expect(await webhooks.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it("records an attempt's outcome only under the lease it was taken with", async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const other = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 2 });
    closing.push(() => other.end());
    const [slow, quick] = [postgres.store.webhooks, createPostgresWebhookStore(other)];
    const { endpoint } = await slow.create({ url: 'http://127.0.0.1:9/hooks', types: ['event.stored'] }, 0);
    await postgres.store.events.insertEvents(newEvents(postgres, [{ type: 'track', userId: 'u1', event: 'A' }]));
    const now = postgres.clock.time;
    await slow.enqueue(endpoint.id, 10, now);
    const [message] = await slow.takeDue(endpoint.id, now, 10, 1_000);
    // The slow server's lease runs out; the other takes the message and delivers it.
    const [again] = await quick.takeDue(endpoint.id, now + 2_000, 10, 1_000);
    expect(again?.id).toBe(message?.id);
    const record = (outcome: 'delivered' | 'retry', at: number) => ({
      messageId: message?.id as number,
      at,
      status: outcome === 'delivered' ? 204 : 500,
      error: null,
      snippet: '',
      outcome,
      nextAttemptAt: outcome === 'retry' ? at + 1_000 : null,
    });
    await quick.recordAttempts(endpoint.id, [record('delivered', now + 2_100)]);
    // The slow server's late answer does not undo it (nor send the change again after later ones).
    await slow.recordAttempts(endpoint.id, [record('retry', now + 2_200)]);
    const [listed] = await slow.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10);
    expect(listed).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('delivers an endpoint from one server at a time, and another takes it over once the holder stops', async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const other = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 4 });
    closing.push(() => other.end());
    await postgres.store.webhooks.create(
      { url: 'http://127.0.0.1:9/hooks', types: ['event.stored'], maxPerSecond: 20 },
      Date.now(),
    );
    const sentBy: string[][] = [[], []];
    const workers = [postgres.schema.pool, other].map((pool, index) =>
      startWebhookWorker({
        store: createPostgresWebhookStore(pool),
        send: async (request) => {
          sentBy[index]?.push(request.headers['webhook-id'] ?? '');
          return { status: 204, snippet: '', durationMs: 1 };
        },
        now: Date.now,
        schedule: [1_000],
        leases: { store: createPostgresLeaseStore(pool, Date.now), holder: `server-${index}`, ttlMs: 5_000 },
      }),
    );
    closing.push(async () => {
      for (const worker of workers) worker.stop();
    });
    const send = async (count: number, round: string) => {
      postgres.clock.time = Date.now();
      await postgres.store.events.insertEvents(
        newEvents(
          postgres,
          Array.from({ length: count }, (_, person) => ({ type: 'track', userId: `u${person}`, event: round })),
        ),
      );
      for (const worker of workers) worker.kick();
    };
    const delivered = async (count: number) => {
      for (let waited = 0; waited < 200; waited++) {
        const { rows } = await postgres.schema.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM webhook_messages WHERE status = 'delivered'",
        );
        if (rows[0]?.n === count) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`not ${count} delivered`);
    };

    // 40 messages at 20 a second: two seconds of work, all of it by the server holding the lease.
    await send(40, 'first');
    await delivered(40);
    const holder = sentBy[0]?.length ? 0 : 1;
    expect(sentBy[holder]).toHaveLength(40);
    expect(sentBy[1 - holder]).toEqual([]);

    // The holder stops, letting its leases go: the other delivers from then on.
    workers[holder]?.stop();
    await send(10, 'second');
    await delivered(50);
    expect(sentBy[holder]).toHaveLength(40);
    expect(sentBy[1 - holder]).toHaveLength(10);
  });
});
