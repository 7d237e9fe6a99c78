import type { WriteKeyKind } from '../auth/secrets.js';
import { identifierProblem } from '../identity/read-identity-event.js';
import type { EventType, NewEvent } from '../storage/event-store.js';
import { eventTypes } from '../storage/event-store.js';
import { correctTimestamp } from './clock-skew.js';
import type { EventProblem } from './event-problem.js';
import type { IngestLimits } from './limits.js';
import type { SharedEnvelope } from './merge-envelope.js';
import { mergeEnvelope } from './merge-envelope.js';
import { parseTimestamp } from './parse-timestamp.js';
import { hasLoneSurrogate } from './sanitize-tree.js';
import { validateEvent } from './validate-event.js';

type Fields = Record<string, unknown>;

/** What a request says about all of its events. */
export interface Envelope extends SharedEnvelope {
  readonly sentAt?: number | undefined;
}

export interface PrepareContext {
  readonly source: string;
  readonly writeKeyKind: WriteKeyKind;
  readonly receivedAt: number;
  readonly limits: IngestLimits;
  readonly envelope: Envelope;
  readonly newMessageId: () => string;
  /** Set by single-event routes (`/v1/track`): the path, not the body, says the type. */
  readonly routeType?: EventType | undefined;
}

export type PreparedEvent =
  | { readonly ok: true; readonly event: NewEvent }
  | { readonly ok: false; readonly problem: EventProblem; readonly messageId: string | null };

const knownTypes: ReadonlySet<string> = new Set(eventTypes);

/**
 * Checks one event, merged with its batch's shared fields, and turns it into the row to store;
 * a failure concerns this event only.
 */
export function prepareEvent(raw: unknown, ctx: PrepareContext): PreparedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(null, { code: 'invalid_event', message: 'an event must be a JSON object' });
  }
  const sent = raw as Fields;
  const messageId = typeof sent.messageId === 'string' && sent.messageId !== '' ? sent.messageId : null;
  // Checked before the merge repairs it: two ids that differ only there would become one, and the
  // second event would be acknowledged as a duplicate of the first.
  if (messageId !== null && hasLoneSurrogate(messageId)) {
    return reject(messageId, {
      code: 'invalid_message_id',
      message: 'messageId holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text UTF-8 can store',
    });
  }
  if (messageId?.includes('\u0000')) {
    return reject(messageId, {
      code: 'invalid_message_id',
      message: 'messageId holds NUL (\\u0000), which PostgreSQL cannot store',
    });
  }
  // Before the merge repairs lone surrogates elsewhere: an identifier is refused, never repaired.
  const badIdentifier = identifierProblem(ctx.routeType ? { ...sent, type: ctx.routeType } : sent);
  if (badIdentifier) {
    return reject(messageId, {
      code: 'invalid_identifier',
      message: `${badIdentifier.field} ${badIdentifier.reason}; identifiers are refused, not repaired`,
    });
  }
  const merged = mergeEnvelope(sent, ctx.envelope, ctx.limits);
  if (!merged.ok) return reject(messageId, merged.problem);
  const { fields } = merged;
  const type = ctx.routeType ?? fields.type;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    return reject(messageId, { code: 'invalid_type', message: `type must be one of ${eventTypes.join(', ')}` });
  }
  const problem = validateEvent(fields, type as EventType);
  if (problem) return reject(messageId, problem);
  return { ok: true, event: normalize(fields, type as EventType, messageId ?? ctx.newMessageId(), ctx) };
}

function normalize(fields: Fields, type: EventType, messageId: string, ctx: PrepareContext): NewEvent {
  const { receivedAt, envelope } = ctx;
  const originalTimestamp = parseTimestamp(fields.timestamp);
  const eventSentAt = parseTimestamp(fields.sentAt);
  const sentAt = (eventSentAt.ok ? eventSentAt.ms : undefined) ?? envelope.sentAt;
  const original = originalTimestamp.ok ? originalTimestamp.ms : undefined;
  const { timestamp } = correctTimestamp({ receivedAt, sentAt, originalTimestamp: original }, ctx.limits.timestamps);

  const { writeKey: _secret, ...kept } = fields;
  const body: Fields = {
    ...kept,
    type,
    messageId,
    timestamp: new Date(timestamp).toISOString(),
    receivedAt: new Date(receivedAt).toISOString(),
  };
  if (originalTimestamp.ok && originalTimestamp.text !== undefined) body.originalTimestamp = originalTimestamp.text;
  if (sentAt !== undefined) body.sentAt = new Date(sentAt).toISOString();

  return {
    source: ctx.source,
    writeKeyKind: ctx.writeKeyKind,
    type,
    messageId,
    userId: identifier(fields.userId),
    anonymousId: identifier(fields.anonymousId),
    event: nameOf(fields, type),
    timestamp,
    receivedAt,
    fields: body,
    body: JSON.stringify(body),
  };
}

function identifier(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function nameOf(fields: Fields, type: EventType): string | null {
  if (type === 'track') return fields.event as string;
  if ((type === 'page' || type === 'screen') && typeof fields.name === 'string') return fields.name;
  return null;
}

function reject(messageId: string | null, problem: EventProblem): PreparedEvent {
  return { ok: false, problem, messageId };
}
