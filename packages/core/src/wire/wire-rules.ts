// What Weft's server accepts on Segment's HTTP tracking API (/v1/batch, /v1/track, …). The SDKs
// size their events and batches by these rules and the server enforces them: both import them
// from here, so the two can never disagree.

/** The Segment call types, in the spec's order. */
export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

/** Bytes of one event's UTF-8 JSON (with its batch's context merged in): Segment's 32 KB. */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Nesting levels of one event, the event object itself being level 1. */
export const MAX_EVENT_DEPTH = 64;

/**
 * Bytes of one request body, after gzip is inflated. The server refuses more with 413; the SDKs
 * aim lower, at Segment's 500,000-byte batch ({@link SDK_BATCH_BYTES}), so that any
 * Segment-compatible receiver takes their batches too.
 */
export const MAX_REQUEST_BODY_BYTES = 512 * 1024;

/** The batch size the SDKs send by default: Segment's batch limit, under {@link MAX_REQUEST_BODY_BYTES}. */
export const SDK_BATCH_BYTES = 500_000;

/** Events in one request; the server refuses more whole with 413 so that the client splits. */
export const MAX_EVENTS_PER_REQUEST = 10_000;

/** A messageId's length limit, counted in characters (Unicode code points), as Segment documents it. */
export const MAX_MESSAGE_ID_CHARACTERS = 100;

/** Characters (code points) in a string: the unit {@link MAX_MESSAGE_ID_CHARACTERS} counts in. */
export function countCharacters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** Whether a messageId is over its limit. UTF-16 length is never below the character count, so most ids are settled without a walk. */
export function isMessageIdTooLong(value: string): boolean {
  return value.length > MAX_MESSAGE_ID_CHARACTERS && countCharacters(value) > MAX_MESSAGE_ID_CHARACTERS;
}
