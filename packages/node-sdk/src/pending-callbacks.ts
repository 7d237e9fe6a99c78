import type { SegmentEvent } from '@weft/core';
import type { Callback } from './params.js';

interface Pending {
  event: SegmentEvent;
  callbacks: Callback[];
}

/**
 * The callbacks of accepted events the engine has not settled yet. Only events given a callback
 * are kept here: the engine holds the queue itself.
 */
export class PendingCallbacks {
  private readonly byId = new Map<string, Pending>();

  get size(): number {
    return this.byId.size;
  }

  add(event: SegmentEvent, callback: Callback): void {
    const existing = this.byId.get(event.messageId);
    // The same messageId again: the engine keeps one copy, and both callers hear about it.
    if (existing) existing.callbacks.push(callback);
    else this.byId.set(event.messageId, { event, callbacks: [callback] });
  }

  /** Forgets the event and calls its callbacks; a callback's throw goes no further. */
  settle(messageId: string, error?: Error): void {
    const pending = this.byId.get(messageId);
    if (!pending) return;
    this.byId.delete(messageId);
    for (const callback of pending.callbacks) {
      try {
        callback(error, { event: pending.event });
      } catch {}
    }
  }
}
