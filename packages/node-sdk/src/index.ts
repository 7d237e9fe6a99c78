// The error a bad call throws, shared with the browser SDK.
export { InvalidEventError } from '@weft/core';
export { Analytics, type AnalyticsDeps } from './analytics.js';
export { type IdentityTokenOptions, signIdentityToken } from './identity-token.js';
export { type AnalyticsOptions, DEFAULTS, type DiskQueueOptions } from './options.js';
export {
  type AliasParams,
  type Callback,
  type CallbackContext,
  EventDroppedError,
  type GroupParams,
  type IdentifyParams,
  type NodeDropReason,
  type PageParams,
  type ScreenParams,
  type Timestamp,
  type TrackParams,
} from './params.js';
export { createDiskStore, type DiskStore, type DiskStoreOptions } from './queue/disk-store.js';
export type {
  AnalyticsReports,
  DeliveredReport,
  DroppedReport,
  ErrorReport,
  ReportName,
  RetryReport,
} from './report-emitter.js';
export { createFetchTransport, type FetchTransportOptions } from './transport/fetch-transport.js';
export { createHttpTransport, type HttpTransportOptions } from './transport/http-transport.js';
export { LIBRARY_NAME, VERSION } from './version.js';
