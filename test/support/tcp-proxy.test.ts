import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './server-process.js';
import { startTcpProxy } from './tcp-proxy.js';

let target: Server;

beforeAll(async () => {
  target = createServer((req, res) => res.end(`echo ${req.url}`));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
});

afterAll(() => new Promise((resolve) => target.close(resolve)));

describe('the TCP proxy that makes a down host come up', () => {
  it('refuses connections until started, then forwards to the target, and refuses again once closed', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/ping`;
    await expect(fetch(url)).rejects.toThrow();

    const proxy = await startTcpProxy(port, (target.address() as AddressInfo).port);
    expect(await (await fetch(url)).text()).toBe('echo /ping');
    await proxy.close();

    await expect(fetch(url, { headers: { connection: 'close' } })).rejects.toThrow();
  });
});
