import { type Clock, createSteadyNow, createSystemClock, settleWithin } from '../clock.js';
import type { SerialisedEvent } from '../event/event-size.js';
import type { InvalidEventError } from '../event/invalid-event-error.js';
import type { SegmentEvent } from '../event/types.js';
import { createQueue } from '../queue/queue.js';
import type { QueueItem, QueueStore } from '../queue/queue-store.js';
import { buildBatchBody, envelopeBytes } from './batch-body.js';
import { type BatchOutcome, interpretResult } from './batch-outcome.js';
import type { DeliveryOptionsInput } from './delivery-options.js';
import { CORE_ENGINE_PARTS, type EngineParts } from './engine-parts.js';
import { createFlushWaiters, type FlushResult } from './flush-waiters.js';
import type { DroppedEvent, DropReason, ReportListener } from './reports.js';
import { decideRetry } from './retry-decision.js';
import { sendWithTimeout } from './send-with-timeout.js';
import type { Connectivity, Transport, TransportResult } from './transport.js';
import { createWakeTimer } from './wake-timer.js';

export interface DeliveryEngineConfig extends DeliveryOptionsInput {
  transport: Transport;
  /** Where queued events survive a restart; memory only when absent. */
  store?: QueueStore;
  clock?: Clock;
  /** Uniform in [0, 1), for jitter. */
  random?: () => number;
  connectivity?: Connectivity;
  onReport?: ReportListener;
}

export type EnqueueResult =
  | {
      ok: true;
      messageId: string;
      /** Settles once the event reached the store; rejects when the store failed (it stays queued in memory). */
      stored: Promise<void>;
    }
  | { ok: false; error: InvalidEventError };

export interface CloseOptions {
  /** Report what is left as dropped (`shutdown`): for stores that do not outlive the process. */
  dropRemaining?: boolean;
  /** Longest to wait for requests in flight; a late answer is then ignored. */
  timeoutMs?: number;
}

export interface DeliveryEngine {
  /** Settles once the store's items are loaded (they are sent first). */
  readonly ready: Promise<void>;
  /** Events queued, in flight included. */
  readonly size: number;
  /** Bytes of event JSON queued, in flight included. */
  readonly bytes: number;
  /** Validates the size, queues the event and returns at once; storage follows in `stored`. */
  /** `serialised`: the event's JSON and bytes when the caller has made them already (serialiseEvent). */
  enqueue(event: SegmentEvent, serialised?: SerialisedEvent | InvalidEventError): EnqueueResult;
  /** Sends everything queued now, and resolves when it is all delivered or dropped (or at the timeout). */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /**
   * Stops timers and sending, waits for requests in flight (each ends by its own timeout, or at
   * `timeoutMs`) and for the store's writes. What is still queued stays in the store for the next
   * start, or, with `dropRemaining`, is reported dropped (`shutdown`) and removed.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * Queues items found in the store that this engine did not put there (a browser tab claiming
   * the events of a tab that closed). They go out first; items already queued are skipped.
   * Returns how many were added.
   */
  adopt(items: QueueItem[]): number;
  /** The items queued now, oldest first, in flight included: what an unload handler can still send. */
  items(): QueueItem[];
  /**
   * Removes queued events for good at the app's request (consent revoked, say) and reports them
   * dropped with code `purged` and this message. Unknown ids are ignored; returns how many went.
   */
  purge(messageIds: string[], message: string): number;
}

export function createDeliveryEngine(config: DeliveryEngineConfig): DeliveryEngine {
  return createDeliveryEngineWith(CORE_ENGINE_PARTS, config);
}

/** `createDeliveryEngine` with `parts` of its own (see `EngineParts`): what the browser script uses. */
export function createDeliveryEngineWith(parts: EngineParts, config: DeliveryEngineConfig): DeliveryEngine {
  const options = parts.resolveOptions(config);
  const { transport, connectivity } = config;
  // A listener's bug must not stall delivery: its throw stops at this line.
  const onReport: ReportListener = (report) => {
    try {
      config.onReport?.(report);
    } catch {}
  };
  /** Reports a failed store operation (nothing is lost: the events stay queued in memory). */
  const reportStoreError = (error: unknown) =>
    onReport({
      type: 'error',
      error: error instanceof Error ? error : new Error('queue storage failed', { cause: error }),
    });
  const clock = config.clock ?? createSystemClock();
  // The engine's own time, for ages, intervals and backoffs; the wall clock only names `sentAt`.
  const steadyNow = createSteadyNow(clock);
  const random = config.random ?? Math.random;
  const queue = createQueue({ maxItems: options.maxQueueItems, maxBytes: options.maxQueueBytes }, config.store);
  const envelopeSize = envelopeBytes(options.envelope, parts.byteLength);
  const batchLimits = {
    maxEvents: Math.max(options.flushAt, options.maxBatchEvents),
    maxBytes: options.maxBatchBytes - envelopeSize,
    separatorBytes: 1,
  };
  /** Most events per request now: halved while the server keeps failing on a batch (5xx), reset by a delivery. */
  let batchEventCap = batchLimits.maxEvents;
  /** Timers of events set aside to retry on their own (see `setAside`). */
  const asideTimers = new Set<unknown>();

  let requestsInFlight = 0;
  const requests = new Set<Promise<void>>();
  /** No request starts before this time: the backoff every failure puts on the whole queue. */
  let blockedUntil = 0;
  const wakeTimer = createWakeTimer(clock, () => pump());
  let isClosed = false;
  const flushes = createFlushWaiters(clock, (seqMark) => queue.countBefore(seqMark));
  const stopListening = connectivity?.onOnline(() => {
    blockedUntil = 0;
    pump();
  });

  const ready = queue.load().then(() => pump(), reportStoreError);

  function enqueue(event: SegmentEvent, serialised = parts.serialise(event)): EnqueueResult {
    if ('code' in serialised) return { ok: false, error: serialised };
    const { messageId } = event;
    // Same messageId twice: the server would store it once anyway, so keep the queued one.
    if (queue.has(messageId)) return { ok: true, messageId, stored: Promise.resolve() };
    const { json, bytes } = serialised;
    const item: QueueItem = { id: messageId, json, bytes, attempts: 0, retryTimeMs: 0, enqueuedAt: steadyNow() };
    const { evicted, stored } = queue.add(item);
    if (evicted.length > 0) {
      reportDropped(evicted, {
        code: 'queue_full',
        message: `the queue is full (${options.maxQueueItems} events or ${options.maxQueueBytes} bytes)`,
      });
    }
    // Without a store, `stored` is one promise resolved for good: nothing to watch per call.
    if (config.store) stored.catch(reportStoreError);
    pump();
    return { ok: true, messageId, stored };
  }

  function isBatchDue(now: number): boolean {
    if (queue.readyCount >= options.flushAt) return true;
    if (envelopeSize + queue.readyBytes + queue.readyCount - 1 >= options.maxBatchBytes) return true;
    if (flushes.isWaitingFor(queue.oldestSeq)) return true;
    const oldest = queue.oldestReady();
    return oldest !== undefined && now - oldest.enqueuedAt >= options.flushIntervalMs;
  }

  function pump(): void {
    if (isClosed) return;
    const now = steadyNow();
    if (now >= blockedUntil && connectivity?.isOnline() === false) blockedUntil = now + options.retry.offlineProbeMs;
    while (
      requestsInFlight < options.maxConcurrentRequests &&
      queue.readyCount > 0 &&
      now >= blockedUntil &&
      isBatchDue(now)
    ) {
      const limits =
        batchEventCap === batchLimits.maxEvents ? batchLimits : { ...batchLimits, maxEvents: batchEventCap };
      requestsInFlight++;
      startRequest(queue.takeBatch(limits), () => requestsInFlight--);
    }
    scheduleWake(now);
  }

  /** One timer at most, and none while nothing is ready to send. */
  function scheduleWake(now: number): void {
    let wakeAt = Infinity;
    // Requests first: finding the oldest ready item walks past those in flight.
    const oldest = requestsInFlight < options.maxConcurrentRequests ? queue.oldestReady() : undefined;
    if (oldest) {
      wakeAt = now < blockedUntil ? blockedUntil : oldest.enqueuedAt + options.flushIntervalMs;
    }
    wakeTimer.wakeAt(wakeAt, now);
  }

  function startRequest(items: QueueItem[], onSettled?: () => void): void {
    const request = sendBatch(items).finally(() => {
      onSettled?.();
      requests.delete(request);
      pump();
    });
    requests.add(request);
  }

  async function sendBatch(batch: QueueItem[]): Promise<void> {
    const result = await sendBatchRequest(batch);
    // A purge, or a close that gave up waiting, may have reported these dropped already: one
    // report per event.
    const items = queue.stillQueued(batch);
    if (items.length === 0) return;
    const outcome = interpretResult(result, items, {
      nowMs: clock.now(),
      maxRetryAfterMs: options.retry.maxRetryAfterMs,
      ...(connectivity ? { isOnline: connectivity.isOnline() } : {}),
    });
    await applyOutcome(outcome, items);
  }

  async function applyOutcome(outcome: BatchOutcome, items: QueueItem[]): Promise<void> {
    switch (outcome.kind) {
      case 'delivered':
        settle(outcome.delivered);
        // Halving goes on while the head has failed before: the other half may hold the bad event.
        if ((queue.oldestReady()?.attempts ?? 0) === 0) batchEventCap = batchLimits.maxEvents;
        for (const { item, reason } of outcome.rejected) reportDropped([item], reason);
        if (outcome.delivered.length > 0) {
          onReport({ type: 'delivered', messageIds: outcome.delivered.map((item) => item.id) });
        }
        return;
      case 'drop':
        reportDropped(items, outcome.reason);
        return;
      case 'split':
        // Each half is sent on its own; one that meets a backoff waits in the queue instead.
        for (const half of outcome.halves) {
          if (isClosed || steadyNow() < blockedUntil) await releaseToQueue(half);
          else await sendBatch(half);
        }
        return;
      case 'retry':
        await scheduleRetry(items, outcome);
        return;
    }
  }

  async function scheduleRetry(items: QueueItem[], outcome: Extract<BatchOutcome, { kind: 'retry' }>) {
    const now = steadyNow();
    if (outcome.isOffline) {
      blockedUntil = Math.max(blockedUntil, now + options.retry.offlineProbeMs);
      onReport({ type: 'retry', messageIds: ids(items), attempt: 0, delayMs: blockedUntil - now, reason: 'offline' });
      await releaseToQueue(items);
      return;
    }
    if (outcome.countsAttempt) for (const item of items) item.attempts++;
    const decision = decideRetry(items, outcome, { nowMs: now, random, options: options.retry });
    if (decision.spent.length > 0) reportDropped(decision.spent, decision.reason);
    const { kept, attempt, delayMs, action } = decision;
    if (kept.length === 0) return;
    for (const item of kept) item.retryTimeMs += delayMs;
    onReport({ type: 'retry', messageIds: ids(kept), attempt, delayMs, reason: outcome.reason });
    const [single] = kept;
    if (action === 'isolate' && single) {
      // The next batch goes at once and at full size: if it is delivered, the server's trouble
      // was this event, which now retries on its own; if not, the whole queue backs off as usual.
      batchEventCap = batchLimits.maxEvents;
      setAside(single, delayMs);
      return;
    }
    if (action === 'split') batchEventCap = Math.ceil(kept.length / 2);
    blockedUntil = Math.max(blockedUntil, now + delayMs);
    await releaseToQueue(kept);
  }

  /**
   * Keeps an event the server keeps failing on out of the batches: it stays in flight, in its
   * place (flushes still wait for it, a store still holds it), and is sent alone after `delayMs`,
   * and again after each failure, until it is delivered or its age limit drops it.
   */
  function setAside(item: QueueItem, delayMs: number): void {
    const handle = clock.setTimeout(() => {
      asideTimers.delete(handle);
      if (isClosed || queue.stillQueued([item]).length === 0) return;
      const blockedFor = blockedUntil - steadyNow();
      if (blockedFor > 0) setAside(item, blockedFor);
      else startRequest([item]);
    }, delayMs);
    asideTimers.add(handle);
  }

  async function releaseToQueue(items: QueueItem[]): Promise<void> {
    await queue.release(items).catch(reportStoreError);
  }

  function sendBatchRequest(items: QueueItem[]): Promise<TransportResult> {
    const body = buildBatchBody(items, new Date(clock.now()).toISOString(), options.envelope);
    const bytes = envelopeSize + items.reduce((sum, item) => sum + item.bytes, 0) + items.length - 1;
    const request = { body, bytes, eventCount: items.length, timeoutMs: options.requestTimeoutMs };
    return sendWithTimeout(transport, request, clock);
  }

  function reportDropped(items: QueueItem[], reason: DropReason): void {
    settle(items);
    onReport({ type: 'dropped', reason, events: items.map(droppedEvent) });
  }

  /** Removes delivered or dropped items and wakes the flushes they were holding up. */
  function settle(items: QueueItem[]): void {
    queue.remove(items).catch(reportStoreError);
    flushes.settleUpTo(queue.oldestSeq);
  }

  async function flush({ timeoutMs }: { timeoutMs?: number } = {}): Promise<FlushResult> {
    await ready;
    const seqMark = queue.seqMark;
    const oldest = queue.oldestSeq;
    if (oldest === undefined || oldest >= seqMark) return { isComplete: true, pending: 0 };
    if (isClosed) return { isComplete: false, pending: queue.countBefore(seqMark) };
    const settled = flushes.wait(seqMark, timeoutMs);
    pump();
    return settled;
  }

  async function close({ dropRemaining = false, timeoutMs }: CloseOptions = {}): Promise<void> {
    if (!isClosed) {
      isClosed = true;
      wakeTimer.cancel();
      for (const handle of asideTimers) clock.clearTimeout(handle);
      asideTimers.clear();
      stopListening?.();
      flushes.abandonAll();
    }
    await settleWithin(clock, Promise.allSettled([...requests]), timeoutMs);
    if (dropRemaining && queue.size > 0) {
      reportDropped(queue.items(), {
        code: 'shutdown',
        message: 'closed before the server acknowledged these events',
      });
    }
    await queue.whenWritten();
  }

  function adopt(items: QueueItem[]): number {
    if (isClosed) return 0;
    const adopted = queue.adopt(items.map((item) => ({ ...item })));
    pump();
    return adopted.length;
  }

  function purge(messageIds: string[], message: string): number {
    const wanted = new Set(messageIds);
    const items = queue.items().filter((item) => wanted.has(item.id));
    if (items.length > 0) reportDropped(items, { code: 'purged', message });
    return items.length;
  }

  return {
    ready,
    get size() {
      return queue.size;
    },
    get bytes() {
      return queue.totalBytes;
    },
    enqueue,
    flush,
    close,
    adopt,
    items: () => queue.items().map((item) => ({ ...item })),
    purge,
  };
}

/**
 * The report of one dropped event; its JSON is parsed back only when a listener reads `event`,
 * so that a full queue evicting its oldest at every call costs no parse per call.
 */
function droppedEvent(item: QueueItem): DroppedEvent {
  let event: SegmentEvent | undefined;
  return {
    messageId: item.id,
    get event() {
      event ??= JSON.parse(item.json) as SegmentEvent;
      return event;
    },
  };
}

function ids(items: QueueItem[]): string[] {
  return items.map((item) => item.id);
}
