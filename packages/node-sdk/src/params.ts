// The message objects @segment/analytics-node's methods take, so its callers compile unchanged.
import type { DropReason, Integrations, SegmentEvent } from '@weft/core';

export type Timestamp = Date | string | number;

type IdentityOptions =
  | { userId: string | number; anonymousId?: string | number | undefined }
  | { userId?: string | number | undefined; anonymousId: string | number };

interface CommonParams {
  context?: Record<string, unknown> | undefined;
  timestamp?: Timestamp | undefined;
  integrations?: Integrations | undefined;
  /** Your own id, e.g. to make a retried job's event count once: the server dedupes by it. */
  messageId?: string | undefined;
}

export type IdentifyParams = CommonParams & IdentityOptions & { traits?: Record<string, unknown> | undefined };
export type TrackParams = CommonParams &
  IdentityOptions & { event: string; properties?: Record<string, unknown> | undefined };
export type PageParams = CommonParams &
  IdentityOptions & {
    name?: string | undefined;
    category?: string | undefined;
    properties?: Record<string, unknown> | undefined;
  };
export type ScreenParams = PageParams;
export type GroupParams = CommonParams &
  IdentityOptions & { groupId: string | number; traits?: Record<string, unknown> | undefined };
export type AliasParams = CommonParams & { userId: string | number; previousId: string | number };

/** What a callback's second argument holds (Segment passes its Context; `event` is the part in common). */
export interface CallbackContext {
  event: SegmentEvent;
}

/** Called once per event: with no error when the server acknowledged it, with an `EventDroppedError` when it was dropped. */
export type Callback = (err?: unknown, ctx?: CallbackContext) => void;

/** Why an event was dropped: core's reasons (`shutdown` for events a memory queue still held at close). */
export type NodeDropReason = DropReason;

export class EventDroppedError extends Error {
  override readonly name = 'EventDroppedError';
  readonly reason: NodeDropReason;

  constructor(reason: NodeDropReason) {
    super(reason.message);
    this.reason = reason;
  }
}
