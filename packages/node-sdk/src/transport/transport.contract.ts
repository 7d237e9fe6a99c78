import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transport } from '@weft/core';
import { afterEach, describe, expect, it } from 'vitest';

// A real socket on 127.0.0.1, so the global fetch runs for real.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(handler: (request: IncomingMessage, body: string) => [number, Record<string, string>, string]) {
  const listening = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const [status, headers, text] = handler(request, body);
      response.writeHead(status, headers).end(text);
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/v1/batch`;
}

const request = { body: '{"batch":[]}', bytes: 12, eventCount: 0, timeoutMs: 2_000 };

type TransportOptions = { url: string; writeKey: string; userAgent: string };

/** What every Node transport does with a real socket on 127.0.0.1; each transport's test runs it. */
export function testTransport(name: string, createTransport: (options: TransportOptions) => Transport): void {
  describe(name, () => {
    it('POSTs the body as JSON with Basic auth and its user agent', async () => {
      let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
      const url = await listen((incoming, body) => {
        seen = { method: incoming.method, headers: incoming.headers, body };
        return [200, { 'content-type': 'application/json' }, '{"success":true}'];
      });
      const result = await createTransport({ url, writeKey: 'wk', userAgent: 'test/1' }).send(request);
      expect(result).toEqual({ kind: 'response', status: 200, retryAfter: null, body: { success: true } });
      expect(seen.method).toBe('POST');
      expect(seen.headers?.authorization).toBe(`Basic ${Buffer.from('wk:').toString('base64')}`);
      expect(seen.headers?.['content-type']).toBe('application/json');
      expect(seen.headers?.['user-agent']).toBe('test/1');
      expect(seen.body).toBe(request.body);
    });

    it('passes on the status and Retry-After, and a body that is not JSON as none', async () => {
      const url = await listen(() => [503, { 'retry-after': '7' }, 'Service Unavailable']);
      const result = await createTransport({ url, writeKey: 'wk', userAgent: 'test/1' }).send(request);
      expect(result).toEqual({ kind: 'response', status: 503, retryAfter: '7', body: undefined });
    });

    it('answers a refused connection as a network error naming the socket error, without throwing', async () => {
      const url = await listen(() => [200, {}, '']);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
      const result = await createTransport({ url, writeKey: 'wk', userAgent: 'test/1' }).send(request);
      expect(result).toMatchObject({ kind: 'network-error', message: expect.stringMatching(/ECONNREFUSED/) });
    });

    it('aborts a request unanswered within its timeout', async () => {
      const url = await listen(() => [200, {}, '']);
      server?.removeAllListeners('request');
      const started = Date.now();
      const result = await createTransport({ url, writeKey: 'wk', userAgent: 'test/1' }).send({
        ...request,
        timeoutMs: 200,
      });
      expect(result.kind).toBe('network-error');
      expect(Date.now() - started).toBeLessThan(5_000);
      server?.closeAllConnections();
    });

    it('answers a network error when the connection is cut while the body streams in', async () => {
      const listening = createServer((_incoming, response) => {
        // Headers promise 200 bytes; the socket dies after a few: the rejected list may be in the rest.
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        response.write('{"success":true,"rejected":[');
        setTimeout(() => response.socket?.destroy(), 20);
      });
      server = listening;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/v1/batch`;
      const result = await createTransport({ url, writeKey: 'wk', userAgent: 'test/1' }).send(request);
      expect(result.kind).toBe('network-error');
    });
  });
}
