import { countCharacters, isMessageIdTooLong, MAX_MESSAGE_ID_CHARACTERS } from '@weft/core';
import type { EventType } from '../storage/event-store.js';
import type { EventProblem } from './event-problem.js';
import { parseTimestamp } from './parse-timestamp.js';

type Fields = Record<string, unknown>;

/**
 * A loose schema in the spirit of Segment's spec: it checks the fields Weft relies on and keeps
 * every other field (`_metadata`, custom context, library extras) untouched.
 */
export function validateEvent(event: Fields, type: EventType): EventProblem | null {
  return (
    checkIdentity(event, type) ??
    checkTypeFields(event, type) ??
    checkMessageId(event.messageId) ??
    checkObjects(event) ??
    checkTimestamps(event)
  );
}

export function isIdentifier(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isFinite(value));
}

function checkIdentity(event: Fields, type: EventType): EventProblem | null {
  if (type === 'alias') return null;
  for (const field of ['userId', 'anonymousId']) {
    const value = event[field];
    // An empty string is what some clients send for "none": treated as absent, not as malformed.
    if (value !== undefined && value !== null && value !== '' && !isIdentifier(value)) {
      return { code: 'invalid_field', message: `${field} must be a non-empty string or a number` };
    }
  }
  if (isIdentifier(event.userId) || isIdentifier(event.anonymousId)) return null;
  return { code: 'missing_identity', message: `${type} needs a userId or an anonymousId` };
}

function checkTypeFields(event: Fields, type: EventType): EventProblem | null {
  switch (type) {
    case 'track':
      if (typeof event.event !== 'string' || event.event.length === 0) {
        return { code: 'missing_field', message: 'track needs "event", a non-empty string' };
      }
      return checkNameLength(event, 'event');
    case 'group':
      return isIdentifier(event.groupId)
        ? null
        : { code: 'missing_field', message: 'group needs "groupId", a non-empty string or number' };
    case 'alias':
      if (!isIdentifier(event.previousId)) {
        return { code: 'missing_field', message: 'alias needs "previousId", a non-empty string or number' };
      }
      return isIdentifier(event.userId)
        ? null
        : { code: 'missing_field', message: 'alias needs "userId", a non-empty string or number' };
    case 'page':
    case 'screen':
      return checkOptionalString(event, 'name') ?? checkNameLength(event, 'name');
    case 'identify':
      return null;
  }
}

function checkOptionalString(event: Fields, field: string): EventProblem | null {
  const value = event[field];
  if (value === undefined || value === null || typeof value === 'string') return null;
  return { code: 'invalid_field', message: `${field} must be a string` };
}

/**
 * Longest event name (track's `event`, page's and screen's `name`), in characters (code points): a
 * name is a label that audiences, filters and screens show, not a place for data.
 */
export const maxEventNameLength = 255;

function checkNameLength(event: Fields, field: 'event' | 'name'): EventProblem | null {
  const value = event[field];
  if (typeof value !== 'string' || value.length <= maxEventNameLength) return null;
  const characters = [...value].length;
  if (characters <= maxEventNameLength) return null;
  return {
    code: 'invalid_field',
    message: `${field} is ${characters} characters, over the ${maxEventNameLength}-character limit for event names`,
  };
}

/** Segment's API limit, from the wire rules; userId and anonymousId get none here (identity ignores over-long ones instead). */
export const maxMessageIdLength = MAX_MESSAGE_ID_CHARACTERS;

function checkMessageId(value: unknown): EventProblem | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { code: 'invalid_field', message: 'messageId must be a string' };
  if (isMessageIdTooLong(value)) {
    return {
      code: 'invalid_message_id',
      message: `messageId is ${countCharacters(value)} characters, over the ${maxMessageIdLength}-character limit`,
    };
  }
  return null;
}

function checkObjects(event: Fields): EventProblem | null {
  for (const field of ['properties', 'traits', 'context', 'integrations']) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      return { code: 'invalid_field', message: `${field} must be an object` };
    }
  }
  return null;
}

function checkTimestamps(event: Fields): EventProblem | null {
  for (const field of ['timestamp', 'sentAt']) {
    const parsed = parseTimestamp(event[field]);
    if (!parsed.ok) return { code: 'invalid_field', message: `${field} ${parsed.reason}` };
  }
  return null;
}
