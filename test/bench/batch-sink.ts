// The least a server can do for `pnpm bench:node`: read each POST body, count its events by the
// run tag at the start of their userId, answer 200 `{"success":true}`. No storage and no checks,
// so the client is what the bench measures.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BatchSink {
  url: string;
  /** Events received whose userId starts with `${tag}-`, each messageId once. */
  countFor(tag: string): number;
  requests: number;
  close(): Promise<void>;
}

export async function startBatchSink(): Promise<BatchSink> {
  const seen = new Map<string, Set<string>>();
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        batch: Array<{ userId?: string; messageId: string }>;
      };
      for (const event of body.batch) {
        const tag = event.userId?.slice(0, event.userId.indexOf('-user-')) ?? '';
        const ids = seen.get(tag) ?? new Set<string>();
        seen.set(tag, ids);
        ids.add(event.messageId);
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
