export { type Clock, createSystemClock } from './clock.js';
export { buildBatchBody, envelopeBytes } from './delivery/batch-body.js';
export { type BatchOutcome, interpretResult } from './delivery/batch-outcome.js';
export {
  type CloseOptions,
  createDeliveryEngine,
  createDeliveryEngineWith,
  type DeliveryEngine,
  type DeliveryEngineConfig,
  type EnqueueResult,
} from './delivery/delivery-engine.js';
export {
  DEFAULT_DELIVERY_OPTIONS,
  type DeliveryOptions,
  type DeliveryOptionsInput,
  resolveDeliveryOptions,
  withDeliveryDefaults,
  withoutUndefined,
} from './delivery/delivery-options.js';
export { CORE_ENGINE_PARTS, type EngineParts } from './delivery/engine-parts.js';
export type { FlushResult } from './delivery/flush-waiters.js';
export type { DeliveryReport, DropCode, DroppedEvent, DropReason, ReportListener } from './delivery/reports.js';
export {
  actOnServerError,
  backoffDelay,
  classifyStatus,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  type ResponseAction,
  type RetryOptions,
  type RetryState,
  reachedRetryLimit,
  retryDelay,
  type ServerErrorAction,
} from './delivery/retry-policy.js';
export type { BatchRequest, Connectivity, Transport, TransportResult } from './delivery/transport.js';
export {
  type BuildEventDeps,
  type BuildEventResult,
  buildEvent,
  buildEventOfType,
  buildEventWithTypeChecks,
} from './event/build-event.js';
export { findUnserialisable, isPlainObject } from './event/check-value.js';
export { type SerialisedEvent, serialiseEvent, utf8ByteLength } from './event/event-size.js';
export { type InvalidEventCode, InvalidEventError } from './event/invalid-event-error.js';
export { createMessageIdFactory, type FillRandom, type MessageIdOptions } from './event/message-id.js';
export { findUnserialisableFast, isPlainJson } from './event/plain-json.js';
export type {
  AliasEvent,
  BaseEvent,
  EventCall,
  EventContext,
  EventFields,
  EventType,
  GroupEvent,
  IdentifyEvent,
  Integrations,
  JsonObject,
  JsonValue,
  PageEvent,
  ScreenEvent,
  SegmentEvent,
  TrackEvent,
} from './event/types.js';
export { createMemoryStore } from './queue/memory-store.js';
export { compareQueueItems, type QueueItem, type QueueStore } from './queue/queue-store.js';
export {
  countCharacters,
  EVENT_TYPES,
  isMessageIdTooLong,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_EVENTS_PER_REQUEST,
  MAX_MESSAGE_ID_CHARACTERS,
  MAX_REQUEST_BODY_BYTES,
  SDK_BATCH_BYTES,
} from './wire/wire-rules.js';
