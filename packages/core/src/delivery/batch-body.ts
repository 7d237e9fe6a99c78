import type { QueueItem } from '../queue/queue-store.js';

/** ISO 8601 timestamps are always 24 characters, so the envelope's size does not depend on when it is sent. */
const SENT_AT_PLACEHOLDER = '2000-01-01T00:00:00.000Z';

/**
 * Builds `{"batch":[…],"sentAt":"…", …extra}` from items whose JSON is ready, without parsing
 * them again. `extra` carries envelope fields such as `writeKey` (for sendBeacon).
 */
export function buildBatchBody(items: QueueItem[], sentAt: string, extra: Record<string, unknown> = {}): string {
  const tail = JSON.stringify({ ...extra, sentAt });
  return `{"batch":[${items.map((item) => item.json).join(',')}],${tail.slice(1)}`;
}

/**
 * Bytes a body has besides its events' own JSON and the commas between them, measured by
 * `byteLength` (UTF-8 bytes of a string: core's `utf8ByteLength`, or the platform's own).
 */
export function envelopeBytes(extra: Record<string, unknown>, byteLength: (text: string) => number): number {
  return byteLength(buildBatchBody([], SENT_AT_PLACEHOLDER, extra));
}
