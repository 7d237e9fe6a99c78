import {
  buildEventWithTypeChecks,
  createDeliveryEngineWith,
  createMessageIdFactory,
  type DeliveryEngine,
  type EventCall,
  type FlushResult,
  type JsonObject,
  type QueueItem,
  type SegmentEvent,
} from '@weft/core';
import { type CallOptions, readIdentifyArgs, readPageArgs } from './call-args.js';
import { type ConsentState, categoriesOf, isGranted, revokedCategories } from './consent/consent.js';
import { createContextBuilder, pageFields } from './context/page-context.js';
import { BROWSER_ENGINE_PARTS } from './engine-parts.js';
import { createIdentity, type User } from './identity/identity.js';
import { type BrowserOptions, type BrowserReport, DEFAULTS, type Middleware, resolveOptions } from './options.js';
import { createBrowserStore } from './queue/browser-store.js';
import { createSettledIds } from './queue/settled-ids.js';
import { createBrowserConnectivity } from './transport/connectivity.js';
import { createFetchTransport } from './transport/fetch-transport.js';
import { createUnloadSender, UNLOAD_BUDGET_BYTES } from './transport/unload-sender.js';

/** What tests replace; everything else is the browser's own. */
export interface BrowserDeps {
  fetch?: typeof globalThis.fetch;
  /** Uniform in [0, 1), for retry jitter. */
  random?: () => number;
}

export interface Analytics {
  identify(userId?: string | JsonObject, traits?: JsonObject, options?: CallOptions): Promise<void>;
  track(event: string, properties?: JsonObject, options?: CallOptions): Promise<void>;
  page(
    category?: string | JsonObject,
    name?: string | JsonObject,
    properties?: JsonObject,
    options?: CallOptions,
  ): Promise<void>;
  group(groupId: string, traits?: JsonObject, options?: CallOptions): Promise<void>;
  alias(userId: string, previousId?: string, options?: CallOptions): Promise<void>;
  /** A new anonymousId; forgets the user id and traits. */
  reset(): void;
  user(): User;
  /** Sends what is queued; resolves once it is delivered or dropped (events waiting for consent excepted). */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Settles once the stored queue is loaded and the stored identity read (at once while consent holds storage back). */
  ready(): Promise<void>;
  /** Merges in consent by category; revoking one purges the queued events that needed it. */
  setConsent(update: ConsentState): void;
  addMiddleware(middleware: Middleware): void;
  /** Stops timers and listeners; queued events stay stored for the next page. */
  close(): Promise<void>;
}

interface Waiting {
  event: SegmentEvent;
  categories: string[];
  /** Settles the call's promise, as its enqueue does. */
  settle: (queued: Promise<void>) => void;
}

export function createAnalytics(input: BrowserOptions, deps: BrowserDeps = {}): Analytics {
  const options = resolveOptions(input);
  const { url } = options;
  const newId = createMessageIdFactory();
  const owner = newId();
  const middleware = [...(options.middleware ?? [])];
  const defaultCategories: string[] = options.consent?.categories ?? DEFAULTS.categories;
  let consent: ConsentState | undefined = options.consent && { ...options.consent.initial };
  const identity = createIdentity({ cookieDomain: options.cookieDomain, newId, now: Date.now });
  /** Calls waiting while the stored identity is read (in call order); undefined once it is known. */
  let waitingForIdentity: (() => void)[] | undefined;
  const browserContext = createContextBuilder();
  let waiting: Waiting[] = [];
  let engine: DeliveryEngine | undefined;
  let stop = () => {};
  const settledIds = createSettledIds();

  function report(entry: BrowserReport): void {
    settledIds.note(entry);
    if (options.onReport) options.onReport(entry);
    else if (entry.type === 'warning' || entry.type === 'error') console.warn('[weft]', entry);
  }

  const isAllowed = (categories: string[]) => !consent || isGranted(consent, categories);

  /** Starts storage and delivery: at once, or when consent first allows it. */
  function start(): DeliveryEngine {
    if (engine) return engine;
    const store = createBrowserStore({
      preferred: options.storage,
      writeKey: options.writeKey,
      lease: { owner, leaseMs: options.leaseMs, now: Date.now },
      warn: (message) => report({ type: 'warning', message }),
    });
    // IndexedDB may hold a newer identity than the cookie and localStorage (which a crash can lose):
    // calls from now on wait for it, then run in order.
    const calls: (() => void)[] = [];
    waitingForIdentity = calls;
    identity
      .persist(store)
      .catch((error: Error) => report({ type: 'error', error }))
      .then(() => {
        waitingForIdentity = undefined;
        for (const call of calls) call();
      });
    const started = createDeliveryEngineWith(BROWSER_ENGINE_PARTS, {
      ...options,
      transport: createFetchTransport({ url, writeKey: options.writeKey, fetch: deps.fetch }),
      store,
      connectivity: createBrowserConnectivity(),
      random: deps.random,
      onReport: report,
    });
    engine = started;
    const sendOnUnload = createUnloadSender({
      url,
      writeKey: options.writeKey,
      budgetBytes: UNLOAD_BUDGET_BYTES,
      fetch: deps.fetch,
      now: Date.now,
    });
    // pagehide alone misses a switch to another tab or app, after which a mobile browser may kill the page.
    const onHide = (event: Event) => {
      if (event.type === 'pagehide' || document.visibilityState === 'hidden') sendOnUnload(started.items());
    };
    addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    // Renews this tab's claims and adopts the events of tabs that closed. Two renewals may overlap
    // when storage is slow: each is one transaction, and adopt skips what the engine holds. A
    // claimed record this tab already delivered or dropped is deleted, never sent (or reported) again.
    const adoptClaimed = (claimed: QueueItem[]) => {
      const settled = claimed.filter((item) => settledIds.has(item.id)).map((item) => item.id);
      if (settled.length > 0) store.remove(settled).catch((error: Error) => report({ type: 'error', error }));
      started.adopt(claimed.filter((item) => !settledIds.has(item.id)));
    };
    const renewal = setInterval(
      () => store.renew().then(adoptClaimed, (error: Error) => report({ type: 'error', error })),
      options.leaseRenewMs,
    );
    stop = () => {
      clearInterval(renewal);
      removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
    };
    return started;
  }

  /** Runs `run` (which must not throw) now, or once the stored identity is known, after the calls waiting for it. */
  function withIdentity<T>(run: () => T | PromiseLike<T>): Promise<T> {
    return new Promise((resolve) =>
      waitingForIdentity ? waitingForIdentity.push(() => resolve(run())) : resolve(run()),
    );
  }

  /** Builds the event of `prepare`'s call (which may change the identity first) once the identity is known. */
  function dispatch(prepare: () => EventCall, callOptions?: CallOptions): Promise<void> {
    return withIdentity(() => send(prepare, callOptions));
  }

  async function send(prepare: () => EventCall, callOptions: CallOptions = {}): Promise<void> {
    const call = prepare();
    const { categories = [], anonymousId, ...rest } = callOptions;
    const user = identity.user();
    const built = buildEventWithTypeChecks(
      { userId: user.id, anonymousId: anonymousId ?? user.anonymousId, ...rest, ...call },
      { createMessageId: newId, context: { ...browserContext(), ...options.context } },
    );
    if (!built.ok) throw built.error;
    let event: SegmentEvent | null = built.event;
    for (const apply of middleware) {
      event = await apply(event);
      if (!event) return;
    }
    const needed = defaultCategories.concat(categories);
    if (isAllowed(needed)) return enqueue(event, needed);
    if (options.consent?.onDenied === 'drop') {
      const message = `consent not granted for ${needed.join(', ')}`;
      report({ type: 'dropped', events: [{ messageId: event.messageId, event }], reason: { code: 'purged', message } });
      return;
    }
    const held = event;
    return new Promise((settle) => waiting.push({ event: held, categories: needed, settle }));
  }

  // async: an event JSON cannot write (a cycle) rejects its call, also when it waited for consent.
  async function enqueue(event: SegmentEvent, categories: string[]): Promise<void> {
    if (consent) event.context.consent = { categoryPreferences: { ...consent }, categories };
    const result = start().enqueue(event);
    if (!result.ok) return Promise.reject(result.error);
    // A failed write was reported by the engine; the event stays queued in memory.
    return result.stored.catch(() => undefined);
  }

  function setConsent(update: ConsentState): void {
    const before = consent ?? {};
    consent = { ...before, ...update };
    const revoked = revokedCategories(before, consent);
    if (engine && revoked.length > 0) {
      const ids = engine
        .items()
        .filter((item) => categoriesOf(item.json).some((category) => revoked.includes(category)))
        .map((item) => item.id);
      engine.purge(ids, `consent revoked for ${revoked.join(', ')}`);
    }
    const stillWaiting: Waiting[] = [];
    for (const entry of waiting) {
      if (isAllowed(entry.categories)) entry.settle(enqueue(entry.event, entry.categories));
      else stillWaiting.push(entry);
    }
    waiting = stillWaiting;
    if (isAllowed(defaultCategories)) start();
  }

  if (isAllowed(defaultCategories)) start();

  return {
    identify(...args: unknown[]) {
      const [userId, traits, callOptions] = readIdentifyArgs(args);
      return dispatch(() => {
        identity.identify(userId, traits);
        return { type: 'identify', traits: identity.user().traits };
      }, callOptions);
    },
    track: (event, properties, callOptions) => dispatch(() => ({ type: 'track', event, properties }), callOptions),
    page(...args: unknown[]) {
      const [category, name, properties, callOptions] = readPageArgs(args);
      const fields = pageFields();
      return dispatch(() => ({ type: 'page', category, name, properties: { ...fields, ...properties } }), callOptions);
    },
    group(groupId, traits, callOptions) {
      return dispatch(() => {
        identity.group(groupId, traits);
        return { type: 'group', groupId, traits };
      }, callOptions);
    },
    alias(userId, previousId, callOptions) {
      return dispatch(() => {
        const user = identity.user();
        return { type: 'alias', userId, previousId: previousId ?? user.id ?? user.anonymousId };
      }, callOptions);
    },
    reset: () => void withIdentity(identity.reset),
    user: identity.user,
    flush: async (flushOptions) =>
      engine ? engine.flush(flushOptions) : { isComplete: waiting.length === 0, pending: waiting.length },
    ready: () => withIdentity(() => engine?.ready),
    setConsent,
    addMiddleware: (apply) => {
      middleware.push(apply);
    },
    async close() {
      stop();
      await engine?.close();
    },
  } as Analytics;
}
