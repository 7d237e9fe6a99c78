import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';
import { readSse, type SseMessage } from '../testing/sse-reader.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** The test app behind a real socket: a stream must be read as a client reads it. */
async function listening(t: EngineContactsTestApp): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    ) as Server;
  });
  return `http://127.0.0.1:${port}`;
}

async function open(url: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v1/changes/stream`, {
    headers: { Authorization: `Bearer ${token}`, ...headers },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  return readSse(response.body as ReadableStream<Uint8Array>);
}

/** The next `count` change messages, skipping heartbeats. */
async function changes(stream: ReturnType<typeof readSse>, count: number, timeoutMs = 2_000): Promise<SseMessage[]> {
  const found: SseMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (found.length < count) {
    const message = await stream.next(deadline - Date.now());
    if (!message) break;
    if (message.event) found.push(message);
  }
  return found;
}

const timing = { heartbeatMs: 200, recheckMs: 100, batchSize: 2 };

describe('GET /v1/changes/stream', () => {
  it('sends what is there, then each commit within milliseconds, and resumes after Last-Event-ID', async () => {
    const t = await openContactsTestApp({ streamTiming: timing });
    await t.seed({ type: 'identify', userId: 'u1' }, { type: 'identify', userId: 'u2' });
    const url = await listening(t);
    const stream = await open(url, t.adminToken);
    const first = await changes(stream, 4);
    expect(first.map((message) => message.event)).toEqual([
      'contact.created',
      'event.stored',
      'contact.created',
      'event.stored',
    ]);
    const sent = Date.now();
    await t.seed({ type: 'track', userId: 'u1', event: 'Live' });
    const [live] = await changes(stream, 1);
    expect(Date.now() - sent).toBeLessThan(500);
    expect(JSON.parse(live?.data ?? '{}')).toMatchObject({
      type: 'event.stored',
      data: { name: 'Live' },
      cursor: live?.id,
    });
    await stream.cancel();

    // A consumer that dropped after the second message resumes with the rest, nothing repeated.
    await t.seed({ type: 'identify', userId: 'u3' });
    const resumed = await open(url, t.adminToken, { 'Last-Event-ID': first[1]?.id ?? '' });
    const rest = await changes(resumed, 5);
    expect(rest.map((message) => message.id)).toEqual([
      first[2]?.id,
      first[3]?.id,
      live?.id,
      expect.any(String),
      expect.any(String),
    ]);
    expect(new Set([...first, live, ...rest].map((message) => message?.id)).size).toBe(7);
    await resumed.cancel();
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const t = await openContactsTestApp({ streamTiming: timing });
    const stream = await open(await listening(t), t.adminToken);
    const message = await stream.next(1_000);
    expect(message).toEqual({ comment: 'keep-alive' });
    await stream.cancel();
  });

  it('closes when its token is revoked', async () => {
    const t = await openContactsTestApp({ streamTiming: timing });
    const token = await t.store.credentials.create('admin_token');
    const stream = await open(await listening(t), token.secret);
    await t.store.credentials.revoke(token.credential.id);
    const revoked = await changes(stream, 1, 1_000);
    expect(revoked.map((message) => [message.event, message.data])).toEqual([['error', '{"code":"token_revoked"}']]);
    expect(await stream.next(500)).toBeUndefined();
  });

  it('refuses an expired or foreign cursor before it opens', async () => {
    const t = await openContactsTestApp({ streamTiming: timing });
    const url = await listening(t);
    const foreign = await fetch(`${url}/v1/changes/stream`, {
      headers: { Authorization: `Bearer ${t.adminToken}`, 'Last-Event-ID': 'made-up' },
    });
    expect(foreign.status).toBe(400);
    const noToken = await fetch(`${url}/v1/changes/stream`);
    expect(noToken.status).toBe(401);
  });

  it('refuses HEAD, which would hold a stream no one reads', async () => {
    const t = await openContactsTestApp({ streamTiming: timing });
    const head = await t.app.request('/v1/changes/stream', {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${t.adminToken}` },
    });
    expect(head.status).toBe(405);
  });
});
