import {
  buildEventOfType,
  type Clock,
  createDeliveryEngine,
  type DeliveryEngine,
  type DeliveryReport,
  type DropReason,
  type EventFields,
  type EventType,
  type FlushResult,
  findUnserialisableFast,
  isPlainObject,
  type SegmentEvent,
  type SerialisedEvent,
  serialiseEvent,
} from '@weft/core';
import { createUnrefClock } from './clock/unref-clock.js';
import { registerExitHandler, unregisterExitHandler } from './exit-hook.js';
import { type AnalyticsOptions, DEFAULTS, type ResolvedOptions, resolveOptions } from './options.js';
import {
  type AliasParams,
  type Callback,
  EventDroppedError,
  type GroupParams,
  type IdentifyParams,
  type PageParams,
  type ScreenParams,
  type TrackParams,
} from './params.js';
import { PendingCallbacks } from './pending-callbacks.js';
import { createDiskStore, type DiskStore } from './queue/disk-store.js';
import { ReportEmitter } from './report-emitter.js';
import { createFetchTransport } from './transport/fetch-transport.js';
import { createHttpTransport } from './transport/http-transport.js';
import { LIBRARY_NAME, VERSION } from './version.js';
import { WaitingRoom } from './waiting-room.js';

/** What the tests replace; everything else is real. */
export interface AnalyticsDeps {
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Uniform in [0, 1), for retry jitter. */
  random?: () => number;
}

/** A drop-in for @segment/analytics-node's `Analytics`, delivering through Weft's engine. */
export class Analytics extends ReportEmitter {
  /** Settles once a disk queue's events from earlier processes are loaded (they are sent first). */
  readonly ready: Promise<void>;
  private readonly options: ResolvedOptions;
  private readonly engine: DeliveryEngine;
  private readonly store: DiskStore | undefined;
  private readonly callbacks = new PendingCallbacks();
  private readonly waitingRoom = new WaitingRoom({
    hasRoom: (bytes) => this.hasRoom(bytes),
    accept: (event, serialised, callback) => this.accept(event, serialised, callback),
  });
  /** buildEvent's deps, built once: the context every event starts from (copied into each) and the fast check. */
  private readonly baseContext;
  private isClosed = false;
  private isShutDown = false;
  private readonly exitHandler = () => this.flushBeforeExit();

  constructor(options: AnalyticsOptions, deps: AnalyticsDeps = {}) {
    super();
    this.options = resolveOptions(options);
    this.baseContext = {
      context: { ...this.options.context, library: { name: LIBRARY_NAME, version: VERSION } },
      findUnserialisable: findUnserialisableFast,
    };
    const { queue, disable } = this.options;
    this.store =
      queue && !disable
        ? createDiskStore({ ...queue, onWarning: (message) => this.reportError(new Error(message)) })
        : undefined;
    this.engine = createDeliveryEngine({
      ...this.options.delivery,
      transport: this.createTransport(deps),
      clock: deps.clock ?? createUnrefClock(),
      ...(deps.random ? { random: deps.random } : {}),
      ...(this.store ? { store: this.store } : {}),
      onReport: (report) => this.handleReport(report),
    });
    this.ready = this.engine.ready;
    if (!disable) registerExitHandler(this.exitHandler);
  }

  /** node:http by default; the given fetch (a test's, a proxy's) when there is one. */
  private createTransport({ fetch }: AnalyticsDeps) {
    const { url, writeKey } = this.options;
    const userAgent = `${LIBRARY_NAME}/${VERSION}`;
    if (fetch) return createFetchTransport({ url, writeKey, userAgent, fetch });
    const maxSockets = this.options.delivery.maxConcurrentRequests ?? DEFAULTS.maxConcurrentRequests;
    return createHttpTransport({ url, writeKey, userAgent, maxSockets });
  }

  get VERSION(): string {
    return VERSION;
  }

  /** Events queued and not yet settled, a disk queue's loaded ones and waiting calls included. */
  get queued(): number {
    return this.engine.size + this.waitingRoom.size;
  }

  // Each call validates at once and throws an InvalidEventError naming the field at fault. Its
  // promise resolves once the event is queued — with a disk queue, once it is on disk — and never
  // rejects; the callback hears, once, whether it was delivered or dropped.
  identify(params: IdentifyParams, callback?: Callback): Promise<void> {
    return this.dispatch('identify', params, callback);
  }
  track(params: TrackParams, callback?: Callback): Promise<void> {
    return this.dispatch('track', params, callback);
  }
  page(params: PageParams, callback?: Callback): Promise<void> {
    return this.dispatch('page', params, callback);
  }
  screen(params: ScreenParams, callback?: Callback): Promise<void> {
    return this.dispatch('screen', params, callback);
  }
  group(params: GroupParams, callback?: Callback): Promise<void> {
    return this.dispatch('group', params, callback);
  }
  alias(params: AliasParams, callback?: Callback): Promise<void> {
    return this.dispatch('alias', params, callback);
  }

  /**
   * Sends everything accepted so far and resolves once each of those events is delivered or
   * reported dropped — or at `timeout` ms, with `isComplete: false`.
   */
  async flush({ timeout }: { timeout?: number } = {}): Promise<FlushResult> {
    // Closed: a memory queue's leftovers were reported dropped; a disk queue's wait on disk.
    if (this.isShutDown) return this.engine.flush();
    const deadline = timeout === undefined ? undefined : Date.now() + timeout;
    if (this.waitingRoom.size > 0) {
      // Waiting calls get in only as deliveries free room: send now rather than at the interval.
      void this.engine.flush();
      if (!(await settlesBefore(this.waitingRoom.whenAdmitted(), deadline))) {
        return { isComplete: false, pending: this.engine.size + this.waitingRoom.size };
      }
    }
    const remaining = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
    return this.engine.flush(remaining === undefined ? {} : { timeoutMs: remaining });
  }

  /**
   * Stops accepting calls, flushes for at most `timeout` ms (default `closeTimeout`, 30 s, not
   * tied to the flush interval) and stops. With a memory queue, events still unsent are reported
   * dropped (`shutdown`); with a disk queue they stay on disk for the next process.
   */
  async closeAndFlush({ timeout = this.options.closeTimeoutMs }: { timeout?: number } = {}): Promise<FlushResult> {
    if (this.isClosed) return this.flush({ timeout });
    this.isClosed = true;
    unregisterExitHandler(this.exitHandler);
    const deadline = Date.now() + timeout;
    const result = await this.flush({ timeout });
    this.turnAwayWaiting();
    // The engine waits (until the deadline) for requests in flight and its store writes; a memory
    // queue's leftovers come back through handleReport as dropped, `shutdown`.
    await this.engine.close({ dropRemaining: !this.store, timeoutMs: Math.max(0, deadline - Date.now()) });
    this.isShutDown = true;
    if (this.store) await this.store.close().catch((error: unknown) => this.reportError(asError(error)));
    return result;
  }

  /**
   * `type` apart from `params`: copying params to add it cost 0.45 µs a call (`pnpm bench:node`).
   * Params that are not a plain object (a class instance, undefined) are copied, as before, so
   * that what Segment's API accepts is still accepted.
   */
  private dispatch(type: EventType, params: EventFields, callback: Callback | undefined): Promise<void> {
    const fields = isPlainObject(params) ? params : { ...(params as object) };
    const built = buildEventOfType(type, fields, this.baseContext);
    if (!built.ok) throw built.error;
    const { event } = built;
    if (this.isClosed) {
      const error = new Error(`${event.type} called after closeAndFlush(): the event was not sent`);
      this.reportError(error);
      callback?.(error, { event });
      return Promise.resolve();
    }
    if (this.options.disable) {
      callback?.(undefined, { event });
      return Promise.resolve();
    }
    const serialised = serialiseEvent(event, Buffer.byteLength);
    if ('code' in serialised) throw serialised;
    if (this.options.onFull === 'drop-oldest') return this.accept(event, serialised, callback);
    return this.waitingRoom.enter(event, serialised, callback);
  }

  /**
   * Queues the event. Resolves once it is in the store: with a disk queue, on disk. It never
   * rejects (callers may ignore it, as Segment's API returns nothing); a failed write is
   * reported as 'error' and the event stays queued in memory.
   */
  private accept(event: SegmentEvent, serialised: SerialisedEvent, callback: Callback | undefined): Promise<void> {
    // Tracked first: the engine may report the event dropped before enqueue returns.
    if (callback) this.callbacks.add(event, callback);
    // Serialised once, by the call: the engine queues that JSON rather than making it again.
    const result = this.engine.enqueue(event, serialised);
    if (!result.ok) {
      this.callbacks.settle(event.messageId);
      throw result.error;
    }
    // A memory queue's `stored` never rejects: no promise per call to guard it.
    return this.store ? result.stored.catch(() => undefined) : result.stored;
  }

  private hasRoom(bytes: number): boolean {
    const { maxQueueItems = 1, maxQueueBytes = 0 } = this.options.delivery;
    // An event bigger than the whole queue never fits: the engine reports it dropped instead.
    if (bytes > maxQueueBytes) return true;
    return this.engine.size < maxQueueItems && this.engine.bytes + bytes <= maxQueueBytes;
  }

  private handleReport(report: DeliveryReport): void {
    if (this.isShutDown) return;
    switch (report.type) {
      case 'delivered':
        for (const id of report.messageIds) this.callbacks.settle(id);
        this.emit('delivered', report);
        this.waitingRoom.admit();
        return;
      case 'dropped': {
        // An Error captures a stack: made only when a callback is waiting to hear of it.
        if (this.callbacks.size > 0) {
          const error = new EventDroppedError(report.reason);
          for (const { messageId } of report.events) this.callbacks.settle(messageId, error);
        }
        this.emit('dropped', report);
        this.waitingRoom.admit();
        return;
      }
      case 'retry':
        this.emit('retry', report);
        return;
      case 'error':
        this.emit('error', report);
        return;
    }
  }

  /** Calls still waiting for room (`onFull: 'wait'`) when the client closes: never queued, so dropped here. */
  private turnAwayWaiting(): void {
    const turnedAway = this.waitingRoom.turnAway();
    if (turnedAway.length === 0) return;
    const reason: DropReason = {
      code: 'shutdown',
      message: 'the client closed while the call waited for room in the queue',
    };
    const error = new EventDroppedError(reason);
    for (const waiting of turnedAway) {
      try {
        waiting.callback?.(error, { event: waiting.event });
      } catch {}
    }
    this.emit('dropped', {
      type: 'dropped',
      reason,
      events: turnedAway.map(({ event }) => ({ messageId: event.messageId, event })),
    });
  }

  /** The process has nothing left but our unref'd timers: one bounded flush, then close. */
  private flushBeforeExit(): void {
    if (this.queued === 0) return;
    // Our timers are unref'd; this one holds the process open until the flush ends or times out.
    const keepAlive = setTimeout(() => undefined, this.options.exitFlushTimeoutMs + 1_000);
    void this.closeAndFlush({ timeout: this.options.exitFlushTimeoutMs }).finally(() => clearTimeout(keepAlive));
  }

  private reportError(error: Error): void {
    this.emit('error', { type: 'error', error });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** True when `promise` settled before the deadline (none: waits as long as it takes). */
async function settlesBefore(promise: Promise<void>, deadline: number | undefined): Promise<boolean> {
  if (deadline === undefined) {
    await promise;
    return true;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    timer.unref?.();
  });
  const result = await Promise.race([promise.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return result;
}
