import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type ClientRequest, get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { basicAuth, killStrayServers, startServerProcess, testWriteKey } from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-shutdown-'));
afterAll(() => {
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * True when the server answers /health on a new connection; false once it refuses connections.
 * A new connection each time (no agent, no keep-alive): fetch would reuse a pooled socket, which a
 * draining server still answers on, so it could not tell whether new connections are refused.
 */
function health(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = get(`${url}/health`, { agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    probe.on('error', () => resolve(false));
  });
}

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, refuses new ones, closes the database and exits 0', {
    timeout: 30_000,
  }, async () => {
    const database = await openTestDatabase(dir);
    const server = await startServerProcess(database.url);
    const body = JSON.stringify({ batch: [{ type: 'track', event: 'Late', userId: 'u', messageId: 'in-flight' }] });
    let req: ClientRequest | undefined;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = request(
        `${server.url}/v1/batch`,
        {
          method: 'POST',
          headers: { Authorization: basicAuth(testWriteKey), 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
    });
    // Half the body now, half after SIGTERM: the request is in flight when the signal lands.
    await new Promise<void>((resolve, reject) =>
      req?.write(body.slice(0, 20), (error) => (error ? reject(error) : resolve())),
    );
    // Our bytes reached the server's socket before this later request was sent; once the server
    // has answered it, it has read our request's headers, so it counts as in flight.
    expect(await waitFor(() => health(server.url), { timeoutMs: 10_000 })).toBe(true);
    server.child.kill('SIGTERM');
    // Polled rather than slept on: the server stops listening as soon as it handles the signal.
    expect(await waitFor(async () => !(await health(server.url)), { timeoutMs: 10_000 })).toBe(true);
    req?.end(body.slice(20));

    expect(await answer).toMatchObject({ status: 200 });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // A clean close checkpoints SQLite's write-ahead log and removes it.
    if (database.engine === 'sqlite') expect(existsSync(`${database.url}-wal`)).toBe(false);
    expect(await database.query('SELECT message_id FROM events')).toEqual([{ message_id: 'in-flight' }]);
    await database.close();
  });
});
