import { buildBatchBody, envelopeBytes, type QueueItem } from '@weft/core';
import { utf8Bytes } from './utf8-bytes.js';

// 60 KB: under the 64 KB that Chromium and Safari allow for all keepalive requests in flight together.
export const UNLOAD_BUDGET_BYTES = 60_000;

export interface UnloadSenderOptions {
  url: string;
  writeKey: string;
  budgetBytes: number;
  fetch?: typeof globalThis.fetch;
  now: () => number;
}

/**
 * Sends what it can of the queue as the page goes away: one keepalive fetch (sendBeacon where
 * fetch fails at once), within the keepalive budget that requests still in flight leave, and
 * without the events those requests carry. The
 * body carries the write key and is text/plain, so no CORS preflight is needed. The items stay
 * queued: if the page lives on, they go out again normally and the server dedupes them.
 * Returns a function that sends, answering how many events it sent.
 */
export function createUnloadSender(options: UnloadSenderOptions): (items: QueueItem[]) => number {
  let bytesInFlight = 0;
  // pagehide follows visibilitychange on a navigation: an event already on its way is not sent twice.
  const idsInFlight = new Set<string>();
  const envelope = { writeKey: options.writeKey };
  const overhead = envelopeBytes(envelope, utf8Bytes);

  return (items) => {
    const batch: QueueItem[] = [];
    let bytes = overhead - 1;
    for (const item of items) {
      if (idsInFlight.has(item.id)) continue;
      if (bytesInFlight + bytes + item.bytes + 1 > options.budgetBytes) break;
      batch.push(item);
      bytes += item.bytes + 1;
    }
    if (batch.length === 0) return 0;
    const body = buildBatchBody(batch, new Date(options.now()).toISOString(), envelope);
    bytesInFlight += bytes;
    for (const item of batch) idsInFlight.add(item.id);
    const done = () => {
      bytesInFlight -= bytes;
      for (const item of batch) idsInFlight.delete(item.id);
    };
    try {
      (options.fetch ?? fetch)(options.url, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'text/plain' },
        body,
      }).then(done, done);
    } catch {
      done();
      if (!navigator.sendBeacon?.(options.url, body)) return 0;
    }
    return batch.length;
  };
}
