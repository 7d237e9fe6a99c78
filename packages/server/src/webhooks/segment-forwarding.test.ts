import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineTestApp, openTestApp } from '../testing/test-app.js';
import { openWebhookTestApp, type WebhookTestApp } from './webhook-test-kit.js';

let app: WebhookTestApp;
let proxy: Server | undefined;
afterEach(async () => {
  await app.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve) ?? resolve(undefined));
  proxy = undefined;
});

/**
 * A second Weft server as the receiver, behind a proxy that passes each request on to it and can
 * answer 503 to a request the server did store: the sender must retry, and the server must keep
 * each event once.
 */
async function startReceivingWeft(): Promise<{ weft: EngineTestApp; url: string; loseAnswers: { n: number } }> {
  const weft = await openTestApp();
  const loseAnswers = { n: 0 };
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const answer = await weft.app.request(req.url ?? '/', {
        method: req.method,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const text = await answer.text();
      if (loseAnswers.n > 0) {
        loseAnswers.n -= 1;
        res.writeHead(503);
        res.end('stored, but the answer was lost');
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  return { weft, url: `http://127.0.0.1:${port}/v1/batch`, loseAnswers };
}

describe('forwarding stored events in the segment format', () => {
  it('a second Weft server accepts the batches and stores each event once, retries included', async () => {
    app = await openWebhookTestApp();
    const { weft, url, loseAnswers } = await startReceivingWeft();
    const response = await app.send('POST', '/v1/webhooks', {
      url,
      types: ['event.stored'],
      format: 'segment',
      writeKey: weft.writeKey,
    });
    expect(response.status).toBe(201);
    const endpoint = (await response.json()) as { id: string };
    expect(endpoint).toMatchObject({ format: 'segment', hasWriteKey: true });
    expect(JSON.stringify(await app.getJson('/v1/webhooks'))).not.toContain(weft.writeKey);
    loseAnswers.n = 1;
    await app.seed(
      { type: 'identify', userId: 'ann', traits: { plan: 'pro' }, messageId: 's1' },
      { type: 'track', userId: 'ann', event: 'Order Completed', properties: { total: 30 }, messageId: 's2' },
      { type: 'page', anonymousId: 'anon-bo', name: 'Home', messageId: 's3' },
      { type: 'track', userId: 'ann', event: 'Order Shipped', messageId: 's4' },
    );
    await app.deliver();
    // The first batch was stored but its answer lost: it is sent again after 1 s.
    await app.pass(1_000);
    const stored = (await weft.storedEvents()).map(({ message_id, type, event }) => ({ message_id, type, event }));
    expect(stored).toEqual([
      { message_id: 's1', type: 'identify', event: null },
      { message_id: 's2', type: 'track', event: 'Order Completed' },
      { message_id: 's3', type: 'page', event: 'Home' },
      { message_id: 's4', type: 'track', event: 'Order Shipped' },
    ]);
    const deliveries = await app.getJson<{ data: { status: string; attempts: number }[] }>(
      `/v1/webhooks/${endpoint.id}/deliveries`,
    );
    expect(deliveries.data.map((delivery) => [delivery.status, delivery.attempts])).toEqual(
      Array.from({ length: 4 }, () => ['delivered', 2]),
    );
    expect(await weft.query("SELECT value FROM identifiers WHERE type = 'user_id'")).toEqual([{ value: 'ann' }]);
  });

  it('does not forward an event whose consent does not grant the endpoint’s category', async () => {
    app = await openWebhookTestApp();
    const { weft, url } = await startReceivingWeft();
    await app.send('POST', '/v1/webhooks', {
      url,
      types: ['event.stored'],
      format: 'segment',
      writeKey: weft.writeKey,
      consentCategory: 'analytics',
    });
    const consent = (analytics: boolean) => ({ consent: { categoryPreferences: { analytics, marketing: true } } });
    await app.seed(
      { type: 'track', userId: 'cy', event: 'Granted', context: consent(true), messageId: 'c1' },
      { type: 'track', userId: 'cy', event: 'Refused', context: consent(false), messageId: 'c2' },
      {
        type: 'track',
        userId: 'cy',
        event: 'Unnamed',
        context: { consent: { categoryPreferences: {} } },
        messageId: 'c3',
      },
      { type: 'track', userId: 'cy', event: 'Server side', messageId: 'c4' },
    );
    await app.deliver();
    expect((await weft.storedEvents()).map((row) => row.event)).toEqual(['Granted', 'Server side']);
  });

  it('keeps each request under 450 KB: large events go in several batches, all stored', async () => {
    app = await openWebhookTestApp();
    const { weft, url } = await startReceivingWeft();
    await app.send('POST', '/v1/webhooks', {
      url,
      types: ['event.stored'],
      format: 'segment',
      writeKey: weft.writeKey,
    });
    const padding = 'x'.repeat(25_000);
    for (let i = 0; i < 4; i++) {
      await app.seed(
        ...Array.from({ length: 10 }, (_, j) => ({
          type: 'track',
          userId: `big${j}`,
          event: 'Large',
          properties: { padding },
          messageId: `big-${i}-${j}`,
        })),
      );
    }
    await app.deliver();
    const stored = (await weft.storedEvents()).map((row) => row.message_id);
    expect(new Set(stored).size).toBe(40);
    expect(stored).toHaveLength(40);
  });

  it('refuses the segment format for anything but stored events', async () => {
    app = await openWebhookTestApp();
    const response = await app.send('POST', '/v1/webhooks', {
      url: app.receiver.url,
      types: ['contact.created'],
      format: 'segment',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'types: the segment format sends stored events only: ["event.stored"]',
    );
  });
});
