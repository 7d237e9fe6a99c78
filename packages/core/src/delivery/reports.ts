import type { SegmentEvent } from '../event/types.js';

export type DropCode =
  /** The queue was full and these were its oldest events. */
  | 'queue_full'
  /** The event is older than `maxEventAgeMs` (or out of a `maxAttempts` set on purpose), and still failing. */
  | 'retry_limit'
  /** The server refused the batch with a status retrying cannot change (400, 401, 403, 501…). */
  | 'http_error'
  /** A single event the server still found too large (413). */
  | 'payload_too_large'
  /** The server accepted the request but listed the event under `rejected`. */
  | 'rejected'
  /** The client closed with the event unsent (and no durable store to keep it for the next start). */
  | 'shutdown'
  /** The app asked for the events to be removed (`engine.purge`), e.g. because consent was revoked. */
  | 'purged';

export interface DropReason {
  code: DropCode;
  message: string;
  /** The HTTP status, where one was answered. */
  status?: number;
  /** The server's own error code, for `rejected` events and error bodies. */
  serverCode?: string;
}

export interface DroppedEvent {
  messageId: string;
  /** The event as it was queued. */
  event: SegmentEvent;
}

export type DeliveryReport =
  | { type: 'delivered'; messageIds: string[] }
  | { type: 'retry'; messageIds: string[]; attempt: number; delayMs: number; reason: string }
  | { type: 'dropped'; events: DroppedEvent[]; reason: DropReason }
  /** Something went wrong that lost nothing (a storage write failed; the events are still queued). */
  | { type: 'error'; error: Error };

export type ReportListener = (report: DeliveryReport) => void;
