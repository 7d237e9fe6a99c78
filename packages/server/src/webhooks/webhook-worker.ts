import { createDeliveryLeases, type DeliveryLeaseOptions } from './delivery-leases.js';
import { nextAttemptAt, readRetryAfter } from './retry-schedule.js';
import type { AttemptOutcome, SendWebhook, WebhookRequest } from './webhook-sender.js';
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
  /** How long a delivered message stays listed in the deliveries (7 days). */
  readonly keepDeliveredMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Counts each attempt's outcome (for /metrics). */
  readonly onAttempt?: (endpointId: string, outcome: AttemptRecord['outcome']) => void;
  /**
   * Shares the endpoints among servers on one database: an endpoint is delivered only by the server
   * holding its lease (leases/), so that its per-second limit, its window of attempts and its
   * contacts' order hold across servers. The holder keeps it while it lives (renewed as it works);
   * another takes it over once it has run out (`ttlMs`, 30 s by default). Absent: this process is
   * the only one.
   */
  readonly leases?: DeliveryLeaseOptions | undefined;
  /** How long a message taken for an attempt stays out of others' reach (a minute; the chaos test shortens it). */
  readonly attemptLeaseMs?: number;
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

/** Stored events one segment-format request carries at most. */
const segmentBatchSize = 100;
/** …and their bytes: under the 500 KB Segment (and Weft) take in one batch. */
const segmentBatchBytes = 450_000;

/**
 * A Segment `/v1/batch` request of stored events (their bodies as ingest kept them, messageId
 * included, so a receiver that deduplicates stores a retried batch once), with the receiver's
 * write key as Basic auth.
 */
export function segmentRequest(
  url: string,
  messages: readonly DueMessage[],
  writeKey: string | null,
  at: number,
): WebhookRequest {
  const batch = messages.map((message) => (JSON.parse(message.body) as { data: { event: unknown } }).data.event);
  return {
    url,
    body: JSON.stringify({ batch, sentAt: new Date(at).toISOString() }),
    headers: writeKey === null ? {} : { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
  };
}

/** No attempt succeeded for this long: the endpoint is disabled, and says so. */
export const failingLimitMs = 5 * 24 * 3_600_000;
/** An attempt's lease: past it, or when the server starts again, the message is due again. */
const defaultAttemptLeaseMs = 60_000;

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
  const concurrency = options.concurrency ?? 64;
  const readSlice = options.readSlice ?? 500;
  const pollMs = options.pollMs ?? 1_000;
  const keepDeliveredMs = options.keepDeliveredMs ?? 7 * 24 * 3_600_000;
  const running = new Map<string, Promise<void>>();
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let isKicked = false;
  let cycling: Promise<void> | undefined;
  /** Counts kicks: a drain that ends having seen fewer looks again (something came in meanwhile). */
  let kicks = 0;
  const leaseMs = options.attemptLeaseMs ?? defaultAttemptLeaseMs;
  const endpointLeases = createDeliveryLeases(options.leases, now);

  async function attempt(endpoint: WebhookEndpoint, message: DueMessage, secrets: string[]): Promise<AttemptRecord> {
    const outcome = await options.send(signedRequest(endpoint.url, message.webhookId, message.body, secrets, now()));
    return recordOf(message, outcome, now());
  }

  /** What an attempt's outcome makes of a message: delivered, to retry when, or failed. */
  function recordOf(message: DueMessage, outcome: AttemptOutcome, finished: number): AttemptRecord {
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

  /**
   * Works one endpoint's queue until nothing is due now or in flight; answers the kick count it last
   * looked at. Standard format: a sliding window of attempts (at most `concurrency`, and
   * `maxPerSecond` started per second), refilled as each ends, their outcomes recorded together;
   * a contact's next message is taken only once its earlier one's outcome is recorded. Segment
   * format: one batch request at a time.
   */
  async function drain(endpointId: string): Promise<number> {
    const inFlight = new Set<Promise<void>>();
    const finished: AttemptRecord[] = [];
    /** Start times (real time: a pace the receiver sees) within the last second, for maxPerSecond. */
    const starts: number[] = [];
    let seen = -1;
    let endpoint: WebhookEndpoint | undefined;
    let secrets: string[] = [];
    /** Whether the feed may hold changes the queue has not read (a kick since the last full read). */
    let hasUnread = true;
    /**
     * Due messages, reading the feed into the queue only when the queue cannot fill the room: the
     * queue is written at the pace messages are sent, not at the pace changes are committed (a
     * burst of ingest waits in the feed, which holds it, rather than as rows written twice).
     */
    async function takeDue(at: number, room: number, perContact: 'earliest' | 'inOrder', maxBytes?: number) {
      const due = await store.takeDue(endpointId, at, room, leaseMs, perContact, maxBytes);
      if (due.length === room || !hasUnread) return due;
      hasUnread = (await store.enqueue(endpointId, readSlice, now())) === readSlice;
      const bytes = due.reduce((total, message) => total + Buffer.byteLength(message.body), 0);
      if (maxBytes !== undefined && bytes >= maxBytes) return due;
      const more = await store.takeDue(
        endpointId,
        at,
        room - due.length,
        leaseMs,
        perContact,
        maxBytes === undefined ? undefined : maxBytes - bytes,
      );
      return [...due, ...more];
    }
    for (;;) {
      // What may have changed since the last look (a commit, a saved endpoint) is read again only
      // after a kick: the queries of a look are not repeated for every attempt that ends.
      const isHeld = await endpointLeases.holds(endpointId);
      if (seen !== kicks || !isHeld) {
        seen = kicks;
        endpoint = await store.get(endpointId);
        // Another server took the endpoint over (this one stalled past its lease): it lets go.
        if (!endpoint?.isEnabled || isStopped || !isHeld) {
          await Promise.all(inFlight);
          if (finished.length > 0) await store.recordAttempts(endpointId, finished.splice(0));
          return seen;
        }
        secrets = await store.secretsOf(endpointId, now());
        hasUnread = true;
      }
      const current = endpoint as WebhookEndpoint;
      const started = now();
      if (current.format === 'segment') {
        // One request carries up to a batch of stored events, a contact's in their order.
        const due = await takeDue(started, segmentBatchSize, 'inOrder', segmentBatchBytes);
        if (due.length === 0 && !hasUnread) return seen;
        if (due.length > 0) {
          const request = segmentRequest(current.url, due, await store.writeKeyOf(endpointId), started);
          const outcome = await options.send(request);
          const at = now();
          finished.push(...due.map((message) => recordOf(message, outcome, at)));
        }
      } else {
        const paceNow = performance.now();
        while (starts.length > 0 && (starts[0] as number) <= paceNow - 1_000) starts.shift();
        const perSecondRoom = current.maxPerSecond === null ? concurrency : current.maxPerSecond - starts.length;
        const room = Math.min(concurrency - inFlight.size, perSecondRoom);
        if (room > 0) {
          for (const message of await takeDue(started, room, 'earliest')) {
            starts.push(paceNow);
            const running: Promise<void> = attempt(current, message, secrets).then((record) => {
              finished.push(record);
              inFlight.delete(running);
            });
            inFlight.add(running);
          }
        }
        if (inFlight.size === 0 && finished.length === 0) {
          if (seen !== kicks || (hasUnread && room > 0)) continue;
          if (room > 0) return seen;
          // Nothing in flight and no room: the per-second limit holds the queue back; wait it out.
          if (!hasUnread && !(await store.hasDue(endpointId, now()))) return seen;
          const wait = (starts[0] ?? paceNow) + 1_000 - performance.now();
          await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
          continue;
        }
        // Half the window ends before its outcomes are recorded together and the window refilled.
        const half = Math.max(1, Math.floor(inFlight.size / 2));
        while (inFlight.size > 0 && finished.length < half) await Promise.race(inFlight);
      }
      const records = finished.splice(0);
      if (records.length === 0) continue;
      await store.recordAttempts(endpointId, records);
      for (const record of records) options.onAttempt?.(endpointId, record.outcome);
      const isGone = records.some((record) => record.status === 410);
      const after = isGone ? undefined : await store.get(endpointId);
      const isFailingTooLong = after?.failingSince != null && now() - after.failingSince >= failingLimitMs;
      if (isGone || isFailingTooLong) {
        await Promise.all(inFlight);
        await store.recordAttempts(endpointId, finished.splice(0));
        const reason = isGone ? 'the receiver answered 410 Gone' : 'no attempt has succeeded for 5 days';
        await store.disable(endpointId, reason, now());
        return seen;
      }
    }
  }

  let lastPruneAt = Number.NEGATIVE_INFINITY;
  /** At most once a minute: delivered messages older than `keepDeliveredMs` go, a slice at a time. */
  async function pruneDelivered(): Promise<void> {
    if (now() - lastPruneAt < 60_000) return;
    lastPruneAt = now();
    while ((await store.pruneDelivered(now() - keepDeliveredMs, 1_000)) === 1_000 && !isStopped) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Starts a drain for every enabled endpoint not already draining; then waits for the next due time. */
  async function cycle(): Promise<void> {
    isKicked = false;
    await pruneDelivered();
    const endpoints = (await store.list()).filter((endpoint) => endpoint.isEnabled);
    let wake = now() + pollMs;
    for (const endpoint of endpoints) {
      if (!running.has(endpoint.id) && (await endpointLeases.holds(endpoint.id))) {
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
      const next = await store.nextDueAt(endpoint.id, now());
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

  // Attempts a dead process left in flight are made again first.
  store.releaseLeases().then(kick, (error: unknown) => options.onError?.(error));
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
          if ((queue && queue.unread > 0) || (await store.hasDue(endpoint.id, now()))) isBusy = true;
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
      // Another server may take the endpoints over at once, not when the leases run out.
      endpointLeases.releaseAll();
    },
  };
}
