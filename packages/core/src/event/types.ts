import type { EVENT_TYPES } from '../wire/wire-rules.js';

// The Segment spec's event shapes, as they travel from an SDK to the server.

export type EventType = (typeof EVENT_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

export interface EventContext extends JsonObject {
  library?: { name: string; version: string };
  traits?: JsonObject;
}

export type Integrations = Record<string, boolean | JsonObject>;

/** Fields every event carries once built. */
export interface BaseEvent {
  type: EventType;
  messageId: string;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  context: EventContext;
  integrations?: Integrations;
}

export interface IdentifyEvent extends BaseEvent {
  type: 'identify';
  traits?: JsonObject;
}
export interface TrackEvent extends BaseEvent {
  type: 'track';
  event: string;
  properties?: JsonObject;
}
export interface PageEvent extends BaseEvent {
  type: 'page';
  name?: string;
  category?: string;
  properties?: JsonObject;
}
export interface ScreenEvent extends BaseEvent {
  type: 'screen';
  name?: string;
  category?: string;
  properties?: JsonObject;
}
export interface GroupEvent extends BaseEvent {
  type: 'group';
  groupId: string;
  traits?: JsonObject;
}
export interface AliasEvent extends BaseEvent {
  type: 'alias';
  previousId: string;
}

export type SegmentEvent = IdentifyEvent | TrackEvent | PageEvent | ScreenEvent | GroupEvent | AliasEvent;

/**
 * What an app passes in: the event's own fields, loosely typed, before validation.
 * `timestamp` may be a Date, an ISO string or epoch milliseconds; ids may be numbers.
 */
export interface EventCall {
  type: EventType;
  messageId?: string;
  timestamp?: Date | string | number;
  userId?: string | number;
  anonymousId?: string | number;
  event?: string;
  name?: string;
  category?: string;
  groupId?: string | number;
  previousId?: string | number;
  properties?: unknown;
  traits?: unknown;
  context?: unknown;
  integrations?: unknown;
}

/** A call's fields without its type, as Segment's `track(params)` and the like take them. */
export type EventFields = Omit<EventCall, 'type'>;
