import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import type { RequestFault } from './fault-schedule.js';

interface Seen {
  /** Bodies the server read in full, with the Connection header they came with. */
  bodies: { body: string; connection: string | undefined; at: number }[];
}

const servers: Server[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startUpstream(answer = '{"ok":true}'): Promise<{ port: number; seen: Seen }> {
  const seen: Seen = { bodies: [] };
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.bodies.push({ body, connection: req.headers.connection, at: Date.now() });
      // As the real server does: a body with a length, so a cut one is seen as cut.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, seen };
}

async function proxyWith(faults: RequestFault[], targetPort: number): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ targetPort, decide: (n) => faults[n - 1] ?? { kind: 'none' } });
  proxies.push(proxy);
  return proxy;
}

function post(url: string, body: string, timeoutMs = 5_000) {
  return fetch(`${url}/v1/batch`, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) }).then(
    async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() }),
  );
}

describe('fault proxy', () => {
  it('forwards an untouched request and relays the answer, one exchange per connection', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([], upstream.port);
    for (const body of ['one', 'two']) {
      expect(await post(proxy.url, body)).toMatchObject({ status: 200, text: '{"ok":true}' });
    }
    expect(upstream.seen.bodies.map(({ body, connection }) => [body, connection])).toEqual([
      ['one', 'close'],
      ['two', 'close'],
    ]);
    expect(proxy.counts()).toMatchObject({ requests: 2, relayed: 2, upstreamFailures: 0 });
  });

  it('answers 500, 503 and 429 itself, with Retry-After, and the server never sees them', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith(
      [
        { kind: 'status_500', status: 500 },
        { kind: 'status_503', status: 503, retryAfterSeconds: 2 },
        { kind: 'status_429', status: 429, retryAfterSeconds: 1 },
      ],
      upstream.port,
    );
    expect(await post(proxy.url, 'a')).toMatchObject({ status: 500, retryAfter: null });
    expect(await post(proxy.url, 'b')).toMatchObject({ status: 503, retryAfter: '2' });
    const limited = await post(proxy.url, 'c');
    expect(limited).toMatchObject({ status: 429, retryAfter: '1' });
    expect(JSON.parse(limited.text)).toMatchObject({ error: { code: 'chaos_proxy' } });
    expect(upstream.seen.bodies).toEqual([]);
    expect(proxy.counts().injected).toMatchObject({ status_500: 1, status_503: 1, status_429: 1 });
  });

  it('cuts a request midway: the client gets no answer and the server never reads it whole', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([{ kind: 'cut_request', fraction: 0.5 }], upstream.port);
    await expect(post(proxy.url, 'x'.repeat(10_000))).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.seen.bodies).toEqual([]);
    expect(proxy.counts().injected.cut_request).toBe(1);
  });

  it('cuts an answer midway: the server handled the request, the client did not hear the end', async () => {
    const upstream = await startUpstream();
    // 0.1 cuts inside the status line and headers; 0.99 inside the body.
    const proxy = await proxyWith(
      [
        { kind: 'cut_response', fraction: 0.1 },
        { kind: 'cut_response', fraction: 0.99 },
      ],
      upstream.port,
    );
    await expect(post(proxy.url, 'first')).rejects.toThrow();
    await expect(post(proxy.url, 'second')).rejects.toThrow();
    expect(upstream.seen.bodies.map(({ body }) => body)).toEqual(['first', 'second']);
    expect(proxy.counts().injected.cut_response).toBe(2);
  });

  it('holds an answer past the client timeout, after the server has handled the request', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([{ kind: 'delay_response', delayMs: 600 }], upstream.port);
    const sentAt = Date.now();
    await expect(post(proxy.url, 'late', 200)).rejects.toThrow();
    expect(Date.now() - sentAt).toBeLessThan(600);
    expect(upstream.seen.bodies.map(({ body }) => body)).toEqual(['late']);
  });

  it('holds a request, then delivers the stale copy after the client gave up', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([{ kind: 'delay_request', delayMs: 400 }], upstream.port);
    const sentAt = Date.now();
    await expect(post(proxy.url, 'stale', 150)).rejects.toThrow();
    expect(upstream.seen.bodies).toEqual([]);
    const arrived = await waitUntil(() => upstream.seen.bodies.length > 0, 3_000);
    expect(arrived).toBe(true);
    expect((upstream.seen.bodies[0]?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(390);
  });

  it('goes away (connections refused) and comes back on the same port', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([], upstream.port);
    await proxy.goAway();
    await expect(post(proxy.url, 'refused')).rejects.toThrow();
    await proxy.comeBack();
    expect(await post(proxy.url, 'back')).toMatchObject({ status: 200 });
    expect(upstream.seen.bodies.map(({ body }) => body)).toEqual(['back']);
    expect(proxy.counts().injected.outage).toBe(1);
  });

  it('follows the server to a new port, and counts a refused forward as an upstream failure', async () => {
    const first = await startUpstream('{"from":"first"}');
    const second = await startUpstream('{"from":"second"}');
    const proxy = await proxyWith([], first.port);
    expect((await post(proxy.url, '1')).text).toBe('{"from":"first"}');
    proxy.setTarget(second.port);
    expect((await post(proxy.url, '2')).text).toBe('{"from":"second"}');
    await new Promise((resolve) => servers.splice(0)[0]?.close(resolve));
    proxy.setTarget(first.port);
    await expect(post(proxy.url, '3')).rejects.toThrow();
    expect(proxy.counts()).toMatchObject({ requests: 3, relayed: 2, upstreamFailures: 1 });
  });

  it('stops injecting once told to', async () => {
    const upstream = await startUpstream();
    const proxy = await proxyWith([{ kind: 'status_500', status: 500 }], upstream.port);
    proxy.stopFaults();
    expect(await post(proxy.url, 'clean')).toMatchObject({ status: 200 });
    expect(proxy.counts().injected.status_500).toBe(0);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
