/** Limits Segment's HTTP tracking API documents; clients already split their batches to fit them. */
export interface IngestLimits {
  /** Bytes of one event's UTF-8 JSON, with its batch's context and integrations merged in. */
  readonly maxEventBytes: number;
  /** Nesting levels of one event, merged the same way: the event object itself is level 1. */
  readonly maxEventDepth: number;
  /** Bytes of a request body, after gzip is inflated. */
  readonly maxBodyBytes: number;
  /** Events in one request (a batch); more is refused whole with 413 so that the client splits it. */
  readonly maxEventsPerRequest: number;
}

/**
 * Bounds the per-request work and response size (`rejected` lists events one by one): without it,
 * a 512 KiB body holds well over 100,000 empty events.
 */
export const maxEventsPerRequest = 10_000;

export const defaultIngestLimits: IngestLimits = {
  maxEventBytes: 32 * 1024,
  maxEventDepth: 64,
  maxBodyBytes: 512 * 1024,
  maxEventsPerRequest,
};
