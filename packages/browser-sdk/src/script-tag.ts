// The IIFE build's entry (dist/weft.min.js): sets `window.weft`. Calls the snippet buffered
// before this file arrived, and calls made before `weft.load()`, run in order once it is called.
import { type Analytics, createAnalytics } from './analytics.js';
import type { BrowserOptions } from './options.js';

type Call = [method: string, ...args: unknown[]];
type Method = (...args: unknown[]) => unknown;

const METHODS = 'identify track page group alias reset user flush ready setConsent addMiddleware close'.split(' ');
const host = window as unknown as { weft?: unknown };
let buffered: Call[] = Array.isArray(host.weft) ? (host.weft as Call[]) : [];
let client: Analytics | undefined;

const weft: Record<string, Method> = {
  load(options) {
    client ??= createAnalytics(options as BrowserOptions);
    replay();
  },
};
for (const method of METHODS) {
  // Before load, a call is kept for later and answers undefined.
  weft[method] = (...args) =>
    client ? (client as unknown as Record<string, Method>)[method]?.(...args) : void buffered.push([method, ...args]);
}

/** Runs the buffered calls in order; those before `load` are buffered again and run when it comes. */
function replay(): void {
  const calls = buffered;
  buffered = [];
  for (const [method, ...args] of calls) void weft[method]?.(...args);
}

host.weft = weft;
replay();
