// The least a server can do for `pnpm bench:node`: read each POST body, count its events by the
// run tag at the start of their userId, answer 200 `{"success":true}`. No storage and no checks,
// so the client is what the bench measures. The body is scanned for its messageIds rather than
// parsed: JSON.parse of a 500-event body made this sink, not the client, the bottleneck of a
// Weft run (the client sat idle 15 % of the time); the scan costs a fifth of it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BatchSink {
  url: string;
  /** Events received whose userId starts with `${tag}-`, each messageId once. */
  countFor(tag: string): number;
  requests: number;
  close(): Promise<void>;
}

// Both clients write JSON.stringify's output: no space after the colon.
const MESSAGE_ID = '"messageId":"';
const USER_ID = '"userId":"';

export async function startBatchSink(): Promise<BatchSink> {
  const seen = new Map<string, Set<string>>();
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks);
      // Each client process sends only its own run's events: the first userId names the run.
      const userIdAt = body.indexOf(USER_ID) + USER_ID.length;
      const tag = body.toString('latin1', userIdAt, body.indexOf('-user-', userIdAt));
      const ids = seen.get(tag) ?? new Set<string>();
      seen.set(tag, ids);
      for (let at = body.indexOf(MESSAGE_ID); at !== -1; at = body.indexOf(MESSAGE_ID, at)) {
        at += MESSAGE_ID.length;
        ids.add(body.toString('latin1', at, body.indexOf('"', at)));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"success":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    countFor: (tag) => seen.get(tag)?.size ?? 0,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
