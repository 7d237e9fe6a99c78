// A webhook receiver on loopback for the chaos run: records every attempt, refuses the first attempt
// of one message in ten (500, so retries run), and says what arrived: the first accepted body of
// each webhook-id, in the order accepted.
import { createServer, type Server } from 'node:http';

export interface Delivery {
  readonly webhookId: string;
  readonly body: { readonly type: string; readonly data: Record<string, unknown> };
}

export interface WebhookReceiver {
  readonly url: string;
  /** The first accepted attempt of each webhook-id, in the order they were accepted. */
  readonly delivered: readonly Delivery[];
  readonly attempts: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const delivered: Delivery[] = [];
  const seen = new Set<string>();
  const tried = new Set<string>();
  let attempts = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts++;
      const webhookId = String(request.headers['webhook-id'] ?? '');
      const isFirstTry = !tried.has(webhookId);
      tried.add(webhookId);
      // One in ten, by its seq, is refused once.
      if (isFirstTry && Number(/^msg_(\d+)_/.exec(webhookId)?.[1] ?? 0) % 10 === 0) {
        response.writeHead(500).end('try again');
        return;
      }
      if (!seen.has(webhookId)) {
        seen.add(webhookId);
        delivered.push({ webhookId, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Delivery['body'] });
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    delivered,
    get attempts() {
      return attempts;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
