import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import { type EngineAudienceTestApp, openAudienceTestApp } from '../audiences/engine-audience-test-kit.js';
import { createAddressPolicy } from './ssrf-guard.js';
import { createWebhookSender } from './webhook-sender.js';
import { startWebhookWorker, type WebhookWorker } from './webhook-worker.js';

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: number;
  readonly signature: string;
  readonly body: string;
  readonly payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** What the receiver answers a request with (the default: 204). */
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** A receiver on 127.0.0.1 that keeps every request and answers as told. */
export interface Receiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** May hold the request: the receiver answers once the promise settles. */
  answer: (request: ReceivedWebhook) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = {
    received,
    answer: (_request: ReceivedWebhook): Answer | Promise<Answer> => ({ status: 204 }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String((req.headers as IncomingHttpHeaders)[name] ?? '');
      const request = {
        id: header('webhook-id'),
        timestamp: Number(header('webhook-timestamp')),
        signature: header('webhook-signature'),
        body,
        payload: JSON.parse(body) as ReceivedWebhook['payload'],
      };
      received.push(request);
      void Promise.resolve(receiver.answer(request)).then((answer) => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/**
 * Checks a request with the standardwebhooks package, an implementation independent of Weft's, as
 * a receiver whose clock reads `now` would.
 */
export function verifiedBy(secret: string, request: ReceivedWebhook, now: number): boolean {
  vi.useFakeTimers({ toFake: ['Date'], now });
  try {
    new Webhook(secret).verify(request.body, {
      'webhook-id': request.id,
      'webhook-timestamp': String(request.timestamp),
      'webhook-signature': request.signature,
    });
    return true;
  } catch {
    return false;
  } finally {
    vi.useRealTimers();
  }
}

export interface WebhookTestApp extends EngineAudienceTestApp {
  readonly receiver: Receiver;
  readonly worker: WebhookWorker;
  /** Adds an endpoint for the receiver; answers its id and secret. */
  subscribe(types: string[], extra?: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  /** Runs the worker until nothing is due now. */
  deliver(): Promise<void>;
  /** Moves the fake clock on by `ms` and delivers what fell due. */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The retry schedule tests run on: 1 s, 2 s, 4 s of fake time. */
export const testSchedule = [1_000, 2_000, 4_000];

/** An audience test app (on the matrix's engine) with a webhook receiver and a worker the test drives. */
export async function openWebhookTestApp(): Promise<WebhookTestApp> {
  // The guard stays on: only the receiver's loopback address is let through.
  const policy = createAddressPolicy(['127.0.0.1/32']);
  const send = createWebhookSender({ policy, timeoutMs: 5_000 });
  const app = await openAudienceTestApp({ webhookDelivery: { send, policy } });
  const receiver = await startReceiver();
  const worker = startWebhookWorker({
    store: app.store.webhooks,
    send,
    now: app.clock.now,
    random: () => 0,
    schedule: testSchedule,
    pollMs: 60_000,
  });
  const deliver = () => worker.settle();
  return {
    ...app,
    receiver,
    worker,
    async subscribe(types, extra = {}) {
      const response = await app.send('POST', '/v1/webhooks', { url: receiver.url, types, ...extra });
      const body = (await response.json()) as { id: string; secret: string };
      if (response.status !== 201) throw new Error(`POST /v1/webhooks: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    deliver,
    async pass(ms) {
      app.clock.time += ms;
      await deliver();
    },
    async close() {
      worker.stop();
      await receiver.close();
    },
  };
}
