import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export interface StaticServer {
  readonly port: number;
  /** The base URL on `host` (127.0.0.1 unless a name Chromium maps to it). */
  url(host?: string): string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

/**
 * Serves files for the browser tests on 127.0.0.1: `mounts` maps a URL prefix (`/sdk/`) to a
 * folder. Nothing outside those folders is reachable, and nothing is cached by the browser.
 * `headers` go on every response (the benchmark asks for cross-origin isolation with them).
 */
export async function startStaticServer(
  mounts: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolveFile(mounts, path);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: (host = '127.0.0.1') => `http://${host}:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolveFile(mounts: Record<string, string>, path: string): string | undefined {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    if (file.startsWith(normalize(dir) + sep)) return file;
  }
  return undefined;
}
