import { EVENT_TYPES, isMessageIdTooLong, MAX_MESSAGE_ID_CHARACTERS } from '../wire/wire-rules.js';
import { findUnserialisable, isPlainObject } from './check-value.js';
import { InvalidEventError } from './invalid-event-error.js';
import { createMessageIdFactory } from './message-id.js';
import type { EventCall, EventContext, EventFields, EventType, SegmentEvent } from './types.js';

let defaultMessageId: (() => string) | undefined;

export interface BuildEventDeps {
  /** Defaults to a UUIDv7, so ids sort by time. */
  createMessageId?: () => string;
  /** Epoch milliseconds, for a call without a timestamp. */
  now?: () => number;
  /** Context every event starts from (library, page, locale…); the call's own context wins. */
  context?: EventContext;
  /**
   * Finds what JSON would refuse or change in the event. Default `findUnserialisable`; Node passes
   * `findUnserialisableFast`, kept out of the browser's script by being passed, not imported here.
   */
  findUnserialisable?: (event: object) => InvalidEventError | undefined;
}

export type BuildEventResult = { ok: true; event: SegmentEvent } | { ok: false; error: InvalidEventError };

/**
 * Validates one Segment call and builds the event that will be queued. Bad input comes back as
 * an `InvalidEventError` naming the field, never thrown. The 32 KB size check happens at
 * enqueue, once middleware has had its say.
 */
export function buildEvent(call: EventCall, deps: BuildEventDeps = {}): BuildEventResult {
  return buildEventOfType(isPlainObject(call) ? call.type : undefined, call, deps);
}

/**
 * `buildEvent` for a call whose type is given apart from its fields, as Segment's `track(params)`
 * gives it: copying the fields into a new object to add `type` cost Node's client 0.45 µs a call.
 * A `type` field in `fields` is ignored.
 */
export function buildEventOfType(type: unknown, fields: EventFields, deps: BuildEventDeps = {}): BuildEventResult {
  // A plain try rather than `tryBuild`: no closure to allocate on each call of Node's hot path.
  try {
    const event = build(type, fields, deps);
    const unserialisable = deps.findUnserialisable ? deps.findUnserialisable(event) : findUnserialisable(event, '');
    return unserialisable ? { ok: false, error: unserialisable } : { ok: true, event };
  } catch (error) {
    return failed(error);
  }
}

/**
 * `buildEvent` with the cheap checks only (types, required fields, ids, timestamp): no walk of
 * the values for cycles, non-JSON values or depth. For a bundle that must stay small (the browser
 * script tag): the server names and rejects such an event, and the client reports it dropped.
 */
export function buildEventWithTypeChecks(call: EventCall, deps: BuildEventDeps = {}): BuildEventResult {
  try {
    return { ok: true, event: build(isPlainObject(call) ? call.type : undefined, call, deps) };
  } catch (error) {
    return failed(error);
  }
}

/** An InvalidEventError as the result; anything else is a bug, thrown on. */
function failed(error: unknown): BuildEventResult {
  if (error instanceof InvalidEventError) return { ok: false, error };
  throw error;
}

function build(type: unknown, call: EventFields, deps: BuildEventDeps): SegmentEvent {
  if (!isPlainObject(call)) throw new InvalidEventError('not_plain_object', 'call', 'call must be an object');
  if (!isEventType(type)) {
    throw new InvalidEventError(
      'invalid_type',
      'type',
      `type must be one of ${EVENT_TYPES.join(', ')}, got ${String(type)}`,
    );
  }
  const userId = readId(call.userId, 'userId');
  const anonymousId = readId(call.anonymousId, 'anonymousId');
  if (userId === undefined && anonymousId === undefined) {
    throw new InvalidEventError('missing_identity', 'userId', `${type} needs a userId or an anonymousId`);
  }
  // Fields assigned one by one, in the order they are sent: no spread objects to build and drop.
  const event: Record<string, unknown> = {
    type,
    messageId: readMessageId(call.messageId, deps),
    timestamp: readTimestamp(call.timestamp, deps),
  };
  if (userId !== undefined) event.userId = userId;
  if (anonymousId !== undefined) event.anonymousId = anonymousId;
  event.context = { ...deps.context, ...readObject(call.context, 'context') };
  setObject(event, call.integrations, 'integrations');
  setTypeFields(event, type, call);
  return event as unknown as SegmentEvent;
}

function isEventType(type: unknown): type is EventType {
  return (EVENT_TYPES as readonly unknown[]).includes(type);
}

function setTypeFields(event: Record<string, unknown>, type: EventType, call: EventFields): void {
  switch (type) {
    case 'track':
      event.event = requireText(call.event, 'event', 'track');
      setObject(event, call.properties, 'properties');
      return;
    case 'page':
    case 'screen':
      setText(event, call.name, 'name');
      setText(event, call.category, 'category');
      setObject(event, call.properties, 'properties');
      return;
    case 'identify':
      setObject(event, call.traits, 'traits');
      return;
    case 'group':
      event.groupId = requireId(call.groupId, 'groupId', 'group');
      setObject(event, call.traits, 'traits');
      return;
    case 'alias':
      if (call.userId === undefined) throw missing('userId', 'alias');
      event.previousId = requireId(call.previousId, 'previousId', 'alias');
      return;
  }
}

/** Ids are strings; finite numbers are accepted and sent as strings. Empty means absent. */
function readId(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw invalidType(field, 'a string', value);
  return value.trim() === '' ? undefined : value;
}

function requireId(value: unknown, field: string, type: string): string {
  const id = readId(value, field);
  if (id === undefined) throw missing(field, type);
  return id;
}

function requireText(value: unknown, field: string, type: string): string {
  if (value === undefined || value === null || value === '') throw missing(field, type);
  if (typeof value !== 'string') throw invalidType(field, 'a string', value);
  if (value.trim() === '') throw missing(field, type);
  return value;
}

function setText(event: Record<string, unknown>, value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') throw invalidType(field, 'a string', value);
  event[field] = value;
}

function readObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw new InvalidEventError('not_plain_object', field, `${field} must be an object, got ${describe(value)}`);
  }
  return value;
}

function setObject(event: Record<string, unknown>, value: unknown, field: string): void {
  const object = readObject(value, field);
  if (object !== undefined) event[field] = object;
}

function readMessageId(value: unknown, deps: BuildEventDeps): string {
  if (value === undefined || value === null) {
    if (deps.createMessageId) return deps.createMessageId();
    defaultMessageId ??= createMessageIdFactory();
    return defaultMessageId();
  }
  if (typeof value !== 'string') throw invalidType('messageId', 'a string', value);
  if (value.trim() === '' || isMessageIdTooLong(value)) {
    throw new InvalidEventError(
      'invalid_type',
      'messageId',
      `messageId must have 1 to ${MAX_MESSAGE_ID_CHARACTERS} characters`,
    );
  }
  return value;
}

function readTimestamp(value: unknown, deps: BuildEventDeps): string {
  if (value === undefined || value === null) return isoTimestamp((deps.now ?? Date.now)());
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
  if (!date || Number.isNaN(date.getTime())) throw invalidType('timestamp', 'a date', value);
  return date.toISOString();
}

let lastTimestampMs = Number.NaN;
let lastTimestamp = '';

/** `new Date(ms).toISOString()`, remembered for the last millisecond: a burst of calls shares it. */
function isoTimestamp(ms: number): string {
  if (ms !== lastTimestampMs) {
    lastTimestamp = new Date(ms).toISOString();
    lastTimestampMs = ms;
  }
  return lastTimestamp;
}

function missing(field: string, type: string): InvalidEventError {
  return new InvalidEventError('missing_field', field, `${type} needs ${field}`);
}

function invalidType(field: string, expected: string, value: unknown): InvalidEventError {
  return new InvalidEventError('invalid_type', field, `${field} must be ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}
