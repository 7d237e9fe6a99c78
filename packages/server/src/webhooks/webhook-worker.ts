import { nextAttemptAt, readRetryAfter } from './retry-schedule.js';
import type { SendWebhook } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';
import type { AttemptRecord, DueMessage, WebhookEndpoint, WebhookStore } from './webhook-store.js';

export interface WebhookWorkerOptions {
  readonly store: WebhookStore;
  readonly send: SendWebhook;
  /** Epoch ms. */
  readonly now: () => number;
  /** In [0, 1): the retry schedule's jitter. */
  readonly random?: () => number;
  /** Delays after the 1st, 2nd … failed attempt (WEFT_WEBHOOK_RETRY_SCHEDULE). */
  readonly schedule: readonly number[];
  /** Messages in flight per endpoint at most. */
  readonly concurrency?: number;
  /** Changes one enqueue step reads (one short transaction). */
  readonly readSlice?: number;
  /** The longest wait between two looks at the queues when nothing wakes the worker. */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Counts each attempt's outcome (for /metrics). */
  readonly onAttempt?: (endpointId: string, outcome: AttemptRecord['outcome']) => void;
}

export interface WebhookWorker {
  /** Looks at the queues now (a change was committed, an endpoint was saved). */
  kick(): void;
  /** Resolves once no endpoint has a message due now or in flight, nor a change unread (tests). */
  settle(): Promise<void>;
  stop(): void;
}

/** A Standard Webhooks request: its timestamp is `at`, and its signatures are computed for it. */
export function signedRequest(url: string, webhookId: string, body: string, secrets: readonly string[], at: number) {
  const timestamp = Math.floor(at / 1000);
  return {
    url,
    body,
    headers: {
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, webhookId, timestamp, body),
    },
  };
}

/** No attempt succeeded for this long: the endpoint is disabled, and says so. */
export const failingLimitMs = 5 * 24 * 3_600_000;
/** An attempt's lease: past it (a crash mid-attempt), the message is due again. */
const leaseMs = 60_000;

/**
 * Delivers each endpoint's queue: reads the change feed into it (the store's durable cursor), sends
 * the messages due, at most `concurrency` at a time and one per contact (a contact's later change
 * waits for an earlier one still being retried), signs each attempt anew, records what it came to,
 * and retries on the schedule. An endpoint answering 410 is disabled; so is one where nothing has
 * succeeded for 5 days.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, now } = options;
  const random = options.random ?? Math.random;
  const concurrency = options.concurrency ?? 16;
  const readSlice = options.readSlice ?? 500;
  const pollMs = options.pollMs ?? 1_000;
  const running = new Map<string, Promise<void>>();
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let isKicked = false;
  let cycling: Promise<void> | undefined;
  /** Counts kicks: a drain that ends having seen fewer looks again (something came in meanwhile). */
  let kicks = 0;

  async function attempt(endpoint: WebhookEndpoint, message: DueMessage, secrets: string[]): Promise<AttemptRecord> {
    const outcome = await options.send(signedRequest(endpoint.url, message.webhookId, message.body, secrets, now()));
    const finished = now();
    const isDelivered = outcome.status >= 200 && outcome.status < 300;
    const base = {
      messageId: message.id,
      at: finished,
      status: outcome.status,
      error: outcome.error ?? (isDelivered ? null : `answered ${outcome.status}`),
      snippet: outcome.snippet,
    };
    if (isDelivered) return { ...base, outcome: 'delivered', nextAttemptAt: null };
    const retryAfter = readRetryAfter(outcome.retryAfter, finished);
    const next = nextAttemptAt(message.attempts + 1, finished, options.schedule, random(), retryAfter);
    return next === undefined
      ? { ...base, outcome: 'failed', nextAttemptAt: null }
      : { ...base, outcome: 'retry', nextAttemptAt: next };
  }

  /** Works one endpoint's queue until nothing is due now; answers the kick count it last looked at. */
  async function drain(endpointId: string): Promise<number> {
    for (;;) {
      const seen = kicks;
      const endpoint = await store.get(endpointId);
      if (!endpoint?.isEnabled || isStopped) return seen;
      while ((await store.enqueue(endpointId, readSlice, now())) === readSlice && !isStopped) {}
      const limit = endpoint.maxPerSecond === null ? concurrency : Math.min(concurrency, endpoint.maxPerSecond);
      const started = now();
      const due = await store.takeDue(endpointId, started, limit, leaseMs);
      if (due.length === 0) return seen;
      const secrets = await store.secretsOf(endpointId, started);
      const attempts = await Promise.all(due.map((message) => attempt(endpoint, message, secrets)));
      await store.recordAttempts(endpointId, attempts);
      for (const record of attempts) options.onAttempt?.(endpointId, record.outcome);
      if (attempts.some((record) => record.status === 410)) {
        await store.disable(endpointId, 'the receiver answered 410 Gone', now());
        return seen;
      }
      const after = await store.get(endpointId);
      if (after?.failingSince != null && now() - after.failingSince >= failingLimitMs) {
        await store.disable(endpointId, 'no attempt has succeeded for 5 days', now());
        return seen;
      }
      if (endpoint.maxPerSecond !== null) {
        // A batch of n may start only n / maxPerSecond seconds after the last.
        const spacing = (due.length / endpoint.maxPerSecond) * 1000 - (now() - started);
        if (spacing > 0) await new Promise((resolve) => setTimeout(resolve, spacing));
      }
    }
  }

  /** Starts a drain for every enabled endpoint not already draining; then waits for the next due time. */
  async function cycle(): Promise<void> {
    isKicked = false;
    const endpoints = (await store.list()).filter((endpoint) => endpoint.isEnabled);
    let wake = now() + pollMs;
    for (const endpoint of endpoints) {
      if (!running.has(endpoint.id)) {
        const run = drain(endpoint.id)
          .then(
            (seen) => seen,
            (error: unknown) => {
              options.onError?.(error);
              return kicks;
            },
          )
          .then((seen) => {
            running.delete(endpoint.id);
            // What came in while it drained is looked at at once.
            if (kicks > seen) kick();
          });
        running.set(endpoint.id, run);
      }
      const next = await store.nextDueAt(endpoint.id);
      if (next !== null) wake = Math.min(wake, next);
    }
    if (isStopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, Math.max(10, wake - now()));
    timer.unref();
  }

  function kick(): void {
    if (isStopped) return;
    kicks += 1;
    if (cycling) {
      isKicked = true;
      return;
    }
    cycling = cycle()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        cycling = undefined;
        if (isKicked) kick();
      });
  }

  kick();
  return {
    kick,
    async settle() {
      for (let round = 0; round < 1_000; round++) {
        await cycling;
        await Promise.all(running.values());
        const endpoints = (await store.list()).filter((endpoint) => endpoint.isEnabled);
        const backlog = await store.backlog();
        let isBusy = running.size > 0 || cycling !== undefined;
        for (const endpoint of endpoints) {
          const queue = backlog.find((entry) => entry.endpointId === endpoint.id);
          const next = await store.nextDueAt(endpoint.id);
          if ((queue && queue.unread > 0) || (next !== null && next <= now())) isBusy = true;
        }
        if (!isBusy) return;
        kick();
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error('webhook worker did not settle');
    },
    stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
