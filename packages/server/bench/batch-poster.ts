/**
 * Posts request bodies to a server's /v1/batch with the bench write key over keep-alive
 * connections, answering each request's status (0 when the request itself failed) and how long it
 * took. Shared by the load scripts.
 */
import { Agent, request } from 'node:http';
import { benchWriteKey } from './bench-events.js';

export interface BatchPoster {
  post(body: Buffer): Promise<{ status: number; ms: number }>;
  close(): void;
}

/** `scheduling: 'fifo'` takes the idlest socket each time, so requests spread over all of them. */
export function createBatchPoster(
  url: string,
  connections: number,
  options: { readonly scheduling?: 'fifo' | 'lifo' } = {},
): BatchPoster {
  const target = new URL('/v1/batch', url);
  const auth = `Basic ${Buffer.from(`${benchWriteKey}:`).toString('base64')}`;
  const agent = new Agent({ keepAlive: true, maxSockets: connections, scheduling: options.scheduling ?? 'lifo' });
  return {
    post(body) {
      const started = performance.now();
      return new Promise((resolve) => {
        const done = (status: number) => resolve({ status, ms: performance.now() - started });
        const req = request(
          target,
          {
            method: 'POST',
            agent,
            headers: { Authorization: auth, 'Content-Type': 'application/json', 'Content-Length': body.byteLength },
          },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', () => done(0));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
