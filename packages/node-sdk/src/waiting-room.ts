import type { SegmentEvent, SerialisedEvent } from '@weft/core';
import type { Callback } from './params.js';

interface Waiting {
  event: SegmentEvent;
  /** Its JSON and bytes, made once by the call: the queue takes them as they are. */
  serialised: SerialisedEvent;
  callback: Callback | undefined;
  /** Settles the caller's promise with the store write of the admitted event. */
  admitted: (stored: Promise<void>) => void;
  /** Flushes waiting for this call to get in. */
  onAdmitted: (() => void)[];
}

export interface WaitingRoomDeps {
  /** Whether an event of this many bytes fits in the queue now. */
  hasRoom(bytes: number): boolean;
  /** Queues the event; returns its store write. */
  accept(event: SegmentEvent, serialised: SerialisedEvent, callback: Callback | undefined): Promise<void>;
}

/**
 * `onFull: 'wait'`: calls that find the queue full wait here, in order, and get in as deliveries
 * free room. It holds the callers back — as long as they await their calls.
 */
export class WaitingRoom {
  private readonly waiting: Waiting[] = [];

  constructor(private readonly deps: WaitingRoomDeps) {}

  get size(): number {
    return this.waiting.length;
  }

  /** Queues the event now if nothing waits and it fits; resolves once it is in (and stored). */
  enter(event: SegmentEvent, serialised: SerialisedEvent, callback: Callback | undefined): Promise<void> {
    if (this.waiting.length === 0 && this.deps.hasRoom(serialised.bytes)) {
      return this.deps.accept(event, serialised, callback);
    }
    return new Promise<Promise<void>>((admitted) =>
      this.waiting.push({ event, serialised, callback, admitted, onAdmitted: [] }),
    ).then((stored) => stored);
  }

  /** Lets in, in order, every waiting call that now fits; call it whenever the queue shrank. */
  admit(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiting;
      if (!this.deps.hasRoom(next.serialised.bytes)) return;
      this.waiting.shift();
      next.admitted(this.deps.accept(next.event, next.serialised, next.callback));
      for (const listener of next.onAdmitted) listener();
    }
  }

  /** Resolves once every call waiting now has got in (or was turned away). */
  whenAdmitted(): Promise<void> {
    const last = this.waiting[this.waiting.length - 1];
    if (!last) return Promise.resolve();
    return new Promise((resolve) => last.onAdmitted.push(resolve));
  }

  /** Empties the room (the client is closing); the callers' promises resolve, nothing was queued. */
  turnAway(): Waiting[] {
    const turnedAway = this.waiting.splice(0);
    for (const waiting of turnedAway) {
      waiting.admitted(Promise.resolve());
      for (const listener of waiting.onAdmitted) listener();
    }
    return turnedAway;
  }
}
