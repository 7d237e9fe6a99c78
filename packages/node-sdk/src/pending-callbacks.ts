import type { SegmentEvent } from '@weft/core';
import type { Callback } from './params.js';

interface Pending {
  event: SegmentEvent;
  bytes: number;
  callbacks: Callback[];
}

/**
 * Events this process accepted and the engine has not settled: their callbacks, their bytes (for
 * `onFull: 'wait'`) and their content (to report them dropped if a memory queue closes first).
 */
export class PendingEvents {
  private readonly byId = new Map<string, Pending>();
  private totalBytes = 0;

  get size(): number {
    return this.byId.size;
  }
  get bytes(): number {
    return this.totalBytes;
  }

  add(event: SegmentEvent, bytes: number, callback: Callback | undefined): void {
    const existing = this.byId.get(event.messageId);
    if (existing) {
      // The same messageId again: the engine keeps one copy, and both callers hear about it.
      if (callback) existing.callbacks.push(callback);
      return;
    }
    this.byId.set(event.messageId, { event, bytes, callbacks: callback ? [callback] : [] });
    this.totalBytes += bytes;
  }

  /** Forgets the event and calls its callbacks; a callback's throw goes no further. */
  settle(messageId: string, error?: Error): void {
    const pending = this.byId.get(messageId);
    if (!pending) return;
    this.byId.delete(messageId);
    this.totalBytes -= pending.bytes;
    for (const callback of pending.callbacks) {
      try {
        callback(error, { event: pending.event });
      } catch {}
    }
  }

  events(): SegmentEvent[] {
    return [...this.byId.values()].map((pending) => pending.event);
  }
}
