import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Answer,
  openWebhookTestApp,
  type ReceivedWebhook,
  verifiedBy,
  type WebhookTestApp,
} from './webhook-test-kit.js';

let app: WebhookTestApp;
afterEach(async () => {
  await app.close();
});

/** The first receipt of each webhook-id, in the order received. */
const firstReceipts = (received: readonly ReceivedWebhook[]) => {
  const seen = new Set<string>();
  return received.filter((request) => !seen.has(request.id) && seen.add(request.id));
};
const describeChange = (request: ReceivedWebhook) =>
  `${request.payload.type} ${String(request.payload.data.contactId).slice(-4)}`;

describe('webhook delivery', () => {
  it('signs every message (checked by the standardwebhooks package) and sends each change of a contact in order', async () => {
    app = await openWebhookTestApp();
    const { secret } = await app.subscribe(['contact.created', 'contact.updated', 'event.stored']);
    await app.seed(
      { type: 'identify', userId: 'ann', traits: { plan: 'free' }, messageId: 'a1' },
      { type: 'track', userId: 'ann', event: 'Order Completed', properties: { total: 30 }, messageId: 'a2' },
      { type: 'identify', userId: 'ann', traits: { plan: 'pro' }, messageId: 'a3' },
      { type: 'identify', userId: 'bo', traits: { plan: 'free' }, messageId: 'b1' },
    );
    await app.deliver();
    const received = app.receiver.received;
    expect(received.every((request) => verifiedBy(secret, request, app.clock.time))).toBe(true);
    // A signature made with another secret is refused: the check can fail.
    expect(verifiedBy('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', received[0] as ReceivedWebhook, app.clock.time)).toBe(
      false,
    );
    expect(new Set(received.map((request) => request.id)).size).toBe(received.length);
    const ann = received.filter((request) => request.payload.data.contactId === received[0]?.payload.data.contactId);
    expect(ann.map((request) => request.payload.type)).toEqual([
      'contact.created',
      'event.stored',
      'event.stored',
      'contact.updated',
      'event.stored',
    ]);
    const order = ann.find(
      (request) => (request.payload.data.event as { event?: string })?.event === 'Order Completed',
    );
    expect(order?.payload.data.event).toMatchObject({ type: 'track', properties: { total: 30 }, messageId: 'a2' });
    expect(ann[3]?.payload.data).toMatchObject({ traits: { plan: { old: 'free', new: 'pro' } } });
    const deliveries = await app.getJson<{ data: { status: string; attempts: number }[] }>(
      `/v1/webhooks/${(await app.getJson<{ data: { id: string }[] }>('/v1/webhooks')).data[0]?.id}/deliveries?limit=100`,
    );
    expect(deliveries.data.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1)).toBe(true);
  });

  it('retries a failed message on the schedule, signed anew, and holds the contact’s later changes behind it', async () => {
    app = await openWebhookTestApp();
    const { id, secret } = await app.subscribe(['contact.created', 'contact.updated']);
    let failing = true;
    let annId = '';
    app.receiver.answer = (request) =>
      failing && request.payload.type === 'contact.created' && request.payload.data.contactId === annId
        ? { status: 500, body: 'down for maintenance' }
        : { status: 204 };
    await app.seed({ type: 'identify', userId: 'ann', traits: { plan: 'free' }, messageId: 'a1' });
    annId = await app.contactIdAt(1);
    await app.seed(
      { type: 'identify', userId: 'ann', traits: { plan: 'pro' }, messageId: 'a2' },
      { type: 'identify', userId: 'bo', traits: { plan: 'free' }, messageId: 'b1' },
    );
    await app.deliver();
    // Bo's change went; Ann's creation failed and her update waits behind it.
    expect(firstReceipts(app.receiver.received).map(describeChange)).toEqual([
      `contact.created ${annId.slice(-4)}`,
      expect.stringMatching(/^contact\.created /),
    ]);
    const deliveries = await app.getJson<{
      data: { type: string; status: string; lastStatus: number; responseSnippet: string; nextAttemptAt: string }[];
    }>(`/v1/webhooks/${id}/deliveries`);
    const failed = deliveries.data.find((delivery) => delivery.lastStatus === 500);
    expect(failed).toMatchObject({ status: 'pending', responseSnippet: 'down for maintenance' });
    expect(Date.parse(failed?.nextAttemptAt ?? '')).toBe(app.clock.time + 1_000);
    await app.pass(999);
    expect(app.receiver.received).toHaveLength(2);
    failing = false;
    await app.pass(1);
    const attempts = app.receiver.received.filter((request) => request.payload.data.contactId === annId);
    expect(attempts.map((request) => request.payload.type)).toEqual([
      'contact.created',
      'contact.created',
      'contact.updated',
    ]);
    // The same webhook-id, a fresh timestamp, a signature made for it.
    expect(attempts[1]?.id).toBe(attempts[0]?.id);
    expect(attempts[1]?.timestamp).toBe(Math.floor(app.clock.time / 1000));
    expect(attempts[1]?.timestamp).not.toBe(attempts[0]?.timestamp);
    expect(attempts.every((request) => verifiedBy(secret, request, request.timestamp * 1000))).toBe(true);
  });

  it('honours Retry-After, and a message whose retries run out is failed and replayable while the queue moves on', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created', 'contact.updated']);
    app.receiver.answer = () => ({ status: 429, headers: { 'Retry-After': '30' } });
    await app.seed({ type: 'identify', userId: 'cy', traits: { plan: 'free' }, messageId: 'c1' });
    await app.deliver();
    expect(app.receiver.received).toHaveLength(1);
    // The schedule says 1 s; the receiver asked for 30.
    await app.pass(29_000);
    expect(app.receiver.received).toHaveLength(1);
    app.receiver.answer = () => ({ status: 503 });
    await app.pass(1_000);
    expect(app.receiver.received).toHaveLength(2);
    await app.pass(2_000);
    await app.pass(4_000);
    expect(app.receiver.received).toHaveLength(4);
    const [created] = (
      await app.getJson<{ data: { status: string; attempts: number }[] }>(`/v1/webhooks/${id}/deliveries`)
    ).data;
    expect(created).toMatchObject({ status: 'failed', attempts: 4 });
    // The contact's next change is not held behind a message that has failed for good.
    app.receiver.answer = () => ({ status: 200 });
    await app.seed({ type: 'identify', userId: 'cy', traits: { plan: 'pro' }, messageId: 'c2' });
    await app.deliver();
    expect(app.receiver.received.at(-1)?.payload.type).toBe('contact.updated');
    const from = new Date(app.clock.time - 60_000).toISOString();
    const replay = await app.send('POST', `/v1/webhooks/${id}/replay`, {
      from,
      to: new Date(app.clock.time).toISOString(),
    });
    expect(await replay.json()).toEqual({ queued: 2 });
    await app.deliver();
    const ids = app.receiver.received.map((request) => request.id);
    expect(ids.at(-2)).toBe(ids[0]);
  });

  it('a 410 disables the endpoint and says why; re-enabling it resumes where it stopped', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created']);
    app.receiver.answer = () => ({ status: 410 });
    await app.seed({ type: 'identify', userId: 'dee', traits: {}, messageId: 'd1' });
    await app.deliver();
    await app.seed({ type: 'identify', userId: 'eve', traits: {}, messageId: 'e1' });
    await app.pass(10_000);
    expect(app.receiver.received).toHaveLength(1);
    const endpoint = await app.getJson<{ enabled: boolean; disabledReason: string }>(`/v1/webhooks/${id}`);
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'the receiver answered 410 Gone' });
    app.receiver.answer = () => ({ status: 200 });
    expect((await app.send('PATCH', `/v1/webhooks/${id}`, { enabled: true })).status).toBe(200);
    await app.pass(1_000);
    expect(firstReceipts(app.receiver.received).map((request) => request.payload.type)).toEqual([
      'contact.created',
      'contact.created',
    ]);
  });

  it('an endpoint where no attempt has succeeded for 5 days is disabled', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created']);
    app.receiver.answer = () => ({ status: 500 });
    const day = 24 * 3_600_000;
    for (let i = 0; i < 6; i++) {
      await app.seed({ type: 'identify', userId: `u${i}`, traits: {}, messageId: `f${i}` });
      await app.pass(day);
    }
    const endpoint = await app.getJson<{ enabled: boolean; disabledReason: string }>(`/v1/webhooks/${id}`);
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'no attempt has succeeded for 5 days' });
  });

  it('during a rotation both secrets sign; after it, only the new one', async () => {
    app = await openWebhookTestApp();
    const { id, secret: old } = await app.subscribe(['contact.created']);
    const rotated = (await (await app.send('POST', `/v1/webhooks/${id}/rotate-secret`, '')).json()) as {
      secret: string;
    };
    await app.seed({ type: 'identify', userId: 'fay', traits: {}, messageId: 'g1' });
    await app.deliver();
    const during = app.receiver.received.at(-1) as ReceivedWebhook;
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(verifiedBy(old, during, app.clock.time)).toBe(true);
    expect(verifiedBy(rotated.secret, during, app.clock.time)).toBe(true);
    app.clock.time += 24 * 3_600_000 + 1;
    await app.seed({ type: 'identify', userId: 'gus', traits: {}, messageId: 'g2' });
    await app.deliver();
    const after = app.receiver.received.at(-1) as ReceivedWebhook;
    expect(verifiedBy(old, after, app.clock.time)).toBe(false);
    expect(verifiedBy(rotated.secret, after, app.clock.time)).toBe(true);
  });

  it('filters by audience and by event name', async () => {
    app = await openWebhookTestApp();
    const buyers = await app.defineAudience({ event: 'Order Completed' });
    await app.defineAudience({ event: 'Signed Up' });
    await app.subscribe(['audience.entered', 'event.stored'], {
      filters: { audiences: [buyers], eventNames: ['Order Completed'] },
    });
    await app.track('hal', 'Signed Up', app.clock.time);
    await app.track('hal', 'Order Completed', app.clock.time);
    await app.deliver();
    expect(app.receiver.received.map((request) => request.payload.type)).toEqual(['event.stored', 'audience.entered']);
    expect(app.receiver.received[1]?.payload.data.audienceId).toBe(buyers);
  });

  it('erasure removes the contact’s queued messages; its contact.deleted still goes out', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created', 'contact.updated', 'contact.deleted']);
    app.receiver.answer = () => ({ status: 500, body: 'ivy@example.com rejected' });
    await app.seed({ type: 'identify', userId: 'ivy', traits: { email: 'ivy@example.com' }, messageId: 'i1' });
    await app.deliver();
    const contactId = await app.contactIdAt(1);
    expect((await app.send('DELETE', `/v1/contacts/${contactId}`, '')).status).toBe(200);
    app.receiver.answer = () => ({ status: 204 });
    await app.pass(1_000);
    const stored = await app.query('SELECT body, last_snippet FROM webhook_messages');
    expect(JSON.stringify(stored)).not.toContain('ivy@example.com');
    expect(app.receiver.received.at(-1)?.payload).toMatchObject({ type: 'contact.deleted', data: { contactId } });
    const deliveries = await app.getJson<{ data: { type: string }[] }>(`/v1/webhooks/${id}/deliveries`);
    expect(deliveries.data.map((delivery) => delivery.type)).toEqual(['contact.deleted']);
  });

  it('starts at most maxPerSecond deliveries a second', async () => {
    app = await openWebhookTestApp();
    await app.subscribe(['contact.created'], { maxPerSecond: 2 });
    const started = performance.now();
    await app.seed(...Array.from({ length: 5 }, (_, i) => ({ type: 'identify', userId: `r${i}`, messageId: `r${i}` })));
    await app.deliver();
    // 2 at once, 2 a second later, the last a second after that (real time: the limit is a pace).
    expect(app.receiver.received).toHaveLength(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
  }, 10_000);

  it('reads the feed into its queue as messages go out, not ahead of them: a burst waits in the feed', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['event.stored']);
    let release = () => {};
    const held = new Promise<Answer>((resolve) => {
      release = () => resolve({ status: 204 });
    });
    // After 300 requests, the receiver holds on.
    app.receiver.answer = () => (app.receiver.received.length > 300 ? held : { status: 204 });
    // The whole burst is stored before the worker looks (here, nothing kicks it but the test).
    for (let batch = 0; batch < 6; batch++) {
      await app.seed(
        ...Array.from({ length: 500 }, (_, i) => ({
          type: 'track',
          userId: `u${batch}-${i}`,
          event: 'Viewed',
          messageId: `m${batch}-${i}`,
        })),
      );
    }
    app.worker.kick();
    await vi.waitFor(() => expect(app.receiver.received.length).toBeGreaterThan(300), { timeout: 5_000 });
    // Rows for what went out, plus at most a slice read (500) and a window (64); the rest is unread.
    const rows = await app.store.webhooks.messages(id, Number.MAX_SAFE_INTEGER, 10_000);
    expect(rows.length).toBeLessThanOrEqual(300 + 500 + 64);
    const [queue] = await app.store.webhooks.backlog();
    expect(queue?.unread).toBeGreaterThan(1_500);
    release();
    await app.deliver();
    const ids = app.receiver.received.map((request) => request.id);
    expect(new Set(ids).size).toBe(3_000);
    expect(ids).toHaveLength(3_000);
  }, 20_000);

  it('records a gap when the feed let go of changes the endpoint had not read', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created']);
    await app.send('PATCH', `/v1/webhooks/${id}`, { enabled: false });
    await app.seed({ type: 'identify', userId: 'gone', messageId: 'x1' });
    // Pruning went past what the disabled endpoint had read.
    const head = await app.store.changes.head();
    await app.query("UPDATE change_horizons SET value = ? WHERE name = 'contacts'", [head]);
    await app.query('DELETE FROM changes WHERE seq <= ?', [head]);
    await app.send('PATCH', `/v1/webhooks/${id}`, { enabled: true });
    await app.seed({ type: 'identify', userId: 'after', messageId: 'x2' });
    await app.deliver();
    expect(app.receiver.received.map((request) => request.payload.type)).toEqual(['contact.created']);
    const deliveries = await app.getJson<{ data: { status: string; type: string }[] }>(`/v1/webhooks/${id}/deliveries`);
    expect(deliveries.data.map((delivery) => `${delivery.type} ${delivery.status}`)).toEqual([
      'contact.created delivered',
      'gap gap',
    ]);
  });

  it('keeps no body once delivered, lists a delivered message for 7 days, and stops holding the feed when disabled', async () => {
    app = await openWebhookTestApp();
    const { id } = await app.subscribe(['contact.created']);
    await app.seed({ type: 'identify', userId: 'old', traits: { email: 'old@example.com' }, messageId: 'o1' });
    await app.deliver();
    const bodies = async () =>
      (await app.query<{ body: string }>('SELECT body FROM webhook_messages')).map((row) => row.body);
    expect(await bodies()).toEqual(['']);
    app.clock.time += 7 * 24 * 3_600_000 + 1;
    await app.seed({ type: 'identify', userId: 'new', traits: {}, messageId: 'o2' });
    await app.deliver();
    const deliveries = await app.getJson<{ data: { type: string }[] }>(`/v1/webhooks/${id}/deliveries`);
    expect(deliveries.data).toHaveLength(1);
    // SQLite keeps the flag as 1 or 0, PostgreSQL as a boolean.
    const holding = async () =>
      Boolean(
        (
          await app.query<{ is_enabled: unknown }>('SELECT is_enabled FROM change_consumers WHERE name = ?', [
            `webhook:${id}`,
          ])
        )[0]?.is_enabled,
      );
    expect(await holding()).toBe(true);
    await app.send('PATCH', `/v1/webhooks/${id}`, { enabled: false });
    expect(await holding()).toBe(false);
  });

  it('the feed keeps a change until its message is sent: retention waits for the oldest pending one', async () => {
    app = await openWebhookTestApp();
    await app.subscribe(['contact.updated']);
    app.receiver.answer = () => ({ status: 503 });
    await app.seed({ type: 'identify', userId: 'kim', traits: { plan: 'free' }, messageId: 'k1' });
    await app.seed({ type: 'identify', userId: 'kim', traits: { plan: 'pro' }, messageId: 'k2' });
    await app.deliver();
    const [updated] = (await app.store.changes.read({ after: 0, limit: 100, types: ['contact.updated'] })).map(
      (change) => change.seq,
    );
    // Pruning as the change pruner does: nothing past the lowest position a consumer holds.
    const heldAt = await app.store.changes.heldAt(app.clock.time, 365 * 24 * 3_600_000);
    expect(heldAt).toBeLessThan(updated ?? 0);
    await app.store.changes.prune({
      eventsBefore: app.clock.time + 1,
      contactsBefore: app.clock.time + 1,
      heldAt,
      maxRows: 10_000,
    });
    app.receiver.answer = () => ({ status: 204 });
    await app.pass(1_000);
    expect(app.receiver.received.at(-1)?.payload.data).toMatchObject({ traits: { plan: { old: 'free', new: 'pro' } } });
  });

  it('does not show back credentials in the url, and still sends to the whole url', async () => {
    app = await openWebhookTestApp();
    const withToken = `${app.receiver.url.replace('http://', 'http://hook:pa55@')}?token=s3cret`;
    const response = await app.send('POST', '/v1/webhooks', { url: withToken, types: ['contact.created'] });
    const { id, url } = (await response.json()) as { id: string; url: string };
    expect(url).toBe(`${app.receiver.url}?…`);
    expect(JSON.stringify(await app.getJson('/v1/webhooks'))).not.toMatch(/s3cret|pa55/);
    expect((await app.send('POST', `/v1/webhooks/${id}/test`, '')).status).toBe(200);
    expect(app.receiver.received).toHaveLength(1);
  });

  it('test sends a signed webhook.test at once and answers what the receiver said', async () => {
    app = await openWebhookTestApp();
    const { id, secret } = await app.subscribe(['contact.created']);
    app.receiver.answer = () => ({ status: 202, body: 'thanks' });
    const response = await app.send('POST', `/v1/webhooks/${id}/test`, '');
    expect(await response.json()).toMatchObject({ delivered: true, status: 202, responseSnippet: 'thanks' });
    const request = app.receiver.received[0] as ReceivedWebhook;
    expect(request.payload.type).toBe('webhook.test');
    expect(verifiedBy(secret, request, app.clock.time)).toBe(true);
  });
});
