import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BODY_BYTES } from '@weft/core';
import { defaultTimestampPolicy, type TimestampPolicy } from './clock-skew.js';

/** Limits Segment's HTTP tracking API documents; the defaults are @weft/core's wire rules, which the SDKs fit their batches to. */
export interface IngestLimits {
  /** Bytes of one event's UTF-8 JSON, with its batch's context and integrations merged in. */
  readonly maxEventBytes: number;
  /** Nesting levels of one event, merged the same way: the event object itself is level 1. */
  readonly maxEventDepth: number;
  /** Bytes of a request body, after gzip is inflated. */
  readonly maxBodyBytes: number;
  /** Events in one request (a batch); more is refused whole with 413 so that the client splits it. */
  readonly maxEventsPerRequest: number;
  /** Bytes one request may store, its events as stored (shared context merged in); more is 413. */
  readonly maxStoredBytesPerRequest: number;
  /** How far event times are trusted: the future tolerance and the skew-correction window. */
  readonly timestamps: TimestampPolicy;
}

/**
 * Bounds the per-request work and response size (`rejected` lists events one by one): without it,
 * a 512 KiB body holds well over 100,000 empty events.
 */
export const maxEventsPerRequest = MAX_EVENTS_PER_REQUEST;

/**
 * A shared batch context is copied into each event: without a cap, a 512 KiB body could store
 * 10,000 × 32 KB = 320 MB. 8 MiB is 16 times the body limit, far above what real batches inflate to.
 */
export const maxStoredBytesPerRequest = 8 * 1024 * 1024;

export const defaultIngestLimits: IngestLimits = {
  maxEventBytes: MAX_EVENT_BYTES,
  maxEventDepth: MAX_EVENT_DEPTH,
  maxBodyBytes: MAX_REQUEST_BODY_BYTES,
  maxEventsPerRequest,
  maxStoredBytesPerRequest,
  timestamps: defaultTimestampPolicy,
};
