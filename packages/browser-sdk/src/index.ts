export { type DeliveryReport, type FlushResult, InvalidEventError, type SegmentEvent } from '@weft/core';
export { type Analytics, type BrowserDeps, createAnalytics } from './analytics.js';
export type { CallOptions } from './call-args.js';
export type { ConsentState } from './consent/consent.js';
export type { User } from './identity/identity.js';
export { type BrowserOptions, type BrowserReport, type ConsentOptions, DEFAULTS, type Middleware } from './options.js';
export { LIBRARY_NAME, VERSION } from './version.js';
