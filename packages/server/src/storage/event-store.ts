import { EVENT_TYPES } from '@weft/core';
import type { WriteKeyKind } from '../auth/secrets.js';

/** The Segment call types Weft stores: the wire rules' list. */
export const eventTypes = EVENT_TYPES;
export type EventType = (typeof EVENT_TYPES)[number];

/** One normalized event, ready to be written. Times are epoch milliseconds. */
export interface NewEvent {
  readonly source: string;
  /** The kind of write key that sent it: the identity rules' joinOn reads it. Not stored. */
  readonly writeKeyKind: WriteKeyKind;
  readonly type: EventType;
  readonly messageId: string;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  /** Track's `event`, or page/screen's `name`. */
  readonly event: string | null;
  readonly timestamp: number;
  readonly receivedAt: number;
  /** The whole normalized event: parsed once at ingest and handed on, so no step parses it again. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The same, as the JSON that is stored. */
  readonly body: string;
}

/** `discarded`: acknowledged but refused by a gate (privacy: an erased or suppressed identifier). */
export type InsertOutcome = 'inserted' | 'duplicate' | 'discarded';

/**
 * The only door to event storage the routes see, so that another engine (PostgreSQL) can be
 * added without touching them. `insertEvents` writes the events in one transaction (PostgreSQL: in
 * consecutive ones, each within its lock budget) and answers one outcome per event, in order; it
 * resolves only once all is durable. When it rejects, some events may be stored already: the
 * sender's retry finds them as duplicates by messageId (docs/scaling.md: an event sent without one
 * gets a new one on its retry).
 */
export interface EventStore {
  insertEvents(events: readonly NewEvent[]): Promise<InsertOutcome[]>;
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** Bytes used on disk, including the write-ahead log. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
