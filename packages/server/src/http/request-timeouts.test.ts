import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../ops/logger.js';
import { type RunningServer, startServer } from '../start-server.js';

const writeKey = 'wk_timeouts_0123456789abcdefghijklmnopqrstuvwxyz';
const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

let dir: string | undefined;
let server: RunningServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<number> {
  dir = mkdtempSync(join(tmpdir(), 'weft-timeouts-'));
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: join(dir, 'weft.db'),
    WEFT_WRITE_KEY: writeKey,
    WEFT_HEADERS_TIMEOUT: '2s',
    WEFT_BODY_TIMEOUT: '3s',
  });
  server = await startServer(config, silentLogger);
  return server.port;
}

interface Watched {
  readonly socket: Socket;
  /** Milliseconds from opening to the server closing it, once it has. */
  closedAfterMs?: number;
  answer: string;
}

/** Opens a socket, writes `first`, and records what comes back and when the server closes it. */
function open(port: number, first: string): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const watched: Watched = { socket, answer: '' };
    socket.on('data', (chunk) => (watched.answer += chunk.toString('latin1')));
    socket.on('close', () => (watched.closedAfterMs = Date.now() - started));
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(first);
      resolve(watched);
    });
    socket.once('error', reject);
  });
}

const stalledBody = (auth: string) =>
  `POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${auth}Content-Length: 1000\r\n\r\n{"batch":[`;

async function post(port: number, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('request timeouts', () => {
  it('closes 200 stalled connections within the limits while ingest keeps answering', async () => {
    const port = await start();
    const watched: Watched[] = [];
    for (let i = 0; i < 200; i++) {
      const kind = i % 4;
      const first =
        kind === 0
          ? 'POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Le' // headers never finished
          : kind === 1
            ? stalledBody(`Authorization: ${basic}\r\n`) // a body that stops
            : kind === 2
              ? stalledBody('') // no key in a header: the body is read for one, and stalls
              : stalledBody('Authorization: Basic d2tfbm9wZTo=\r\n'); // a wrong key: 401 before the body
      watched.push(await open(port, first));
    }
    // Meanwhile ingest answers, promptly.
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      expect(await post(port, { batch: [{ type: 'track', event: 'E', userId: `u${i}` }] })).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deadline = Date.now() + 8_000;
    while (watched.some((w) => w.closedAfterMs === undefined) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const open_ = watched.filter((w) => w.closedAfterMs === undefined);
    expect(open_.length, 'sockets the server still holds').toBe(0);
    // Headers: 2 s; bodies: 3 s; each checked every second. A refused key is answered at once, and
    // the server closes the socket rather than wait for a body it will not read.
    const window: Record<number, [number, number]> = {
      0: [2_000, 4_000],
      1: [3_000, 5_000],
      2: [3_000, 5_000],
      3: [0, 2_000],
    };
    for (const [index, w] of watched.entries()) {
      const [from, to] = window[index % 4] as [number, number];
      expect(w.closedAfterMs, `socket ${index}`).toBeGreaterThanOrEqual(from - 100);
      expect(w.closedAfterMs, `socket ${index}`).toBeLessThan(to);
    }
    expect(watched[0]?.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(watched[1]?.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(watched[1]?.answer).toContain('"code":"request_timeout"');
    expect(watched[2]?.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(watched[3]?.answer).toMatch(/^HTTP\/1\.1 401/);
  }, 30_000);

  it('does not cut a slow body that keeps moving, nor one that trickles within the rate', async () => {
    const port = await start();
    const events = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({ type: 'track', event: 'Slow', userId: `s${i}` }),
    );
    const body = Buffer.from(`{"batch":[${events.join(',')}]}`);
    const slow = await open(
      port,
      `POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    // 6 s for the body, twice the 3 s deadline, but 2 KB/s: each byte buys time at 1 KB/s.
    const pieces = 12;
    const size = Math.ceil(body.length / pieces);
    for (let i = 0; i < pieces; i++) {
      slow.socket.write(body.subarray(i * size, (i + 1) * size));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const deadline = Date.now() + 5_000;
    while (!slow.answer.includes('"success"') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(slow.answer).toMatch(/^HTTP\/1\.1 200/);
    expect(slow.answer).toContain('"accepted":60');
  }, 30_000);

  it('cuts a body that trickles a byte now and then, slower than the rate', async () => {
    const port = await start();
    const trickle = await open(port, stalledBody(`Authorization: ${basic}\r\n`));
    const timer = setInterval(() => trickle.socket.write(' '), 1_000);
    const deadline = Date.now() + 8_000;
    while (trickle.closedAfterMs === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(timer);
    expect(trickle.closedAfterMs).toBeLessThan(5_500);
    expect(trickle.answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
