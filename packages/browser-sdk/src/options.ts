import {
  type DeliveryOptionsInput,
  type DeliveryReport,
  type EventContext,
  type SegmentEvent,
  withoutUndefined,
} from '@weft/core';
import type { ConsentState } from './consent/consent.js';

/** Enriches an event, or drops it by returning null; may be async. */
export type Middleware = (event: SegmentEvent) => SegmentEvent | null | Promise<SegmentEvent | null>;

/** Core's delivery reports, plus a warning when storage falls back. */
export type BrowserReport = DeliveryReport | { type: 'warning'; message: string };

export interface ConsentOptions {
  /** The state at start, e.g. `{analytics: false}` until the visitor answers. */
  initial?: ConsentState;
  /** Categories every event needs (a call may add more); device storage starts once these are granted. Default `['analytics']`. */
  categories?: string[];
  /** An event whose categories are not granted waits in memory (default) or is dropped. */
  onDenied?: 'wait' | 'drop';
}

/** Core's delivery options (`maxBatchEvents`, `maxQueueItems`, `maxQueueBytes`, `requestTimeoutMs`, `retry`…) apply as they are. */
export interface BrowserOptions extends Omit<DeliveryOptionsInput, 'envelope' | 'flushIntervalMs'> {
  writeKey: string;
  /** Base URL of the Weft server, e.g. `https://weft.example.com` or `http://127.0.0.1:3000`. */
  host: string;
  /** Request path. Default `/v1/batch`. */
  path?: string;
  /** Send when this many events are ready. Default 10. */
  flushAt?: number;
  /** Longest an event waits for a batch to fill, ms. Default 5,000. */
  flushInterval?: number;
  /** How long a tab's claim on its queued events holds without renewal, ms. Default 10,000. */
  leaseMs?: number;
  /** How often a tab renews its claims and takes over those of closed tabs, ms. Default 3,000. */
  leaseRenewMs?: number;
  /** Where to keep the queue first; later ones are fallbacks. Default IndexedDB, then localStorage, then memory. */
  storage?: 'indexedDB' | 'localStorage' | 'memory';
  /** Cookie domain, e.g. `example.com` to share the visitor across subdomains. Default: the current host. */
  cookieDomain?: string;
  /** Consent management; without it, every category counts as granted. */
  consent?: ConsentOptions;
  middleware?: Middleware[];
  /** Context merged into every event (the call's own context wins). */
  context?: EventContext;
  /** Hears deliveries, retries, drops, errors and warnings. Default: errors and warnings go to console.warn. */
  onReport?: (report: BrowserReport) => void;
}

export const DEFAULTS = {
  path: '/v1/batch',
  // 10 and 5 s: analytics.js's batching defaults.
  flushAt: 10,
  flushInterval: 5_000,
  // 1,000: Snowplow's cap; 1 MiB keeps a localStorage fallback well inside its 5 MB.
  maxQueueItems: 1_000,
  maxQueueBytes: 1024 * 1024,
  leaseMs: 10_000,
  leaseRenewMs: 3_000,
  categories: ['analytics'],
};

/** The options with their defaults; throws a TypeError naming a bad writeKey or host. */
export function resolveOptions(options: BrowserOptions) {
  if (typeof options?.writeKey !== 'string' || options.writeKey === '') {
    throw new TypeError('writeKey must be a non-empty string');
  }
  if (!/^https?:\/\//.test(options.host)) throw new TypeError(`host must be an http(s) URL, got ${options.host}`);
  // An option given as undefined keeps its default (a missing lease would make claims meaningless).
  const resolved = { ...DEFAULTS, ...(withoutUndefined(options) as BrowserOptions) };
  return {
    ...resolved,
    url: resolved.host.replace(/\/+$/, '') + resolved.path,
    flushIntervalMs: resolved.flushInterval,
  };
}
