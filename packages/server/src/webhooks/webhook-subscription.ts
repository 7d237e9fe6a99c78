import type { ChangeType, StoredChange } from '../changes/change.js';

/**
 * What an endpoint is sent (docs/webhooks.md): the change types it subscribes to, narrowed by
 * filters, and the body each change becomes. Pure: the worker and replay both use it.
 */
export const webhookTypes = [
  'contact.created',
  'contact.updated',
  'contact.merged',
  'contact.deleted',
  'contact.identified',
  'audience.entered',
  'audience.exited',
  'event.stored',
] as const satisfies readonly ChangeType[];
export type WebhookType = (typeof webhookTypes)[number];

export interface WebhookFilters {
  /** audience.entered / audience.exited of these audiences only. */
  readonly audiences?: readonly string[];
  /** event.stored of these event types only (track, identify, page, screen, group, alias). */
  readonly eventTypes?: readonly string[];
  /** event.stored of these names only (a track's event, a page's or screen's name). */
  readonly eventNames?: readonly string[];
}

export interface Subscription {
  readonly types: readonly WebhookType[];
  readonly filters: WebhookFilters;
  /** Stored events are forwarded only when their consent grants this category (when set). */
  readonly consentCategory?: string | null;
}

/**
 * Whether a stored event may go to an endpoint declaring this consent category: an event that
 * carries no consent (a server-side source) may; one whose `context.consent.categoryPreferences`
 * does not grant the category (false, or not named) may not.
 */
export function isConsented(event: unknown, category: string | null | undefined): boolean {
  if (!category) return true;
  const context = (event as { context?: { consent?: { categoryPreferences?: Record<string, unknown> } } } | null)
    ?.context;
  if (context?.consent === undefined) return true;
  return context.consent.categoryPreferences?.[category] === true;
}

/** Whether a change goes to an endpoint with this subscription. */
export function isSubscribed(subscription: Subscription, type: string, data: Readonly<Record<string, unknown>>) {
  if (!(subscription.types as readonly string[]).includes(type)) return false;
  const { audiences, eventTypes, eventNames } = subscription.filters;
  if (type.startsWith('audience.') && audiences) return audiences.includes(data.audienceId as string);
  if (type === 'event.stored') {
    if (eventTypes && !eventTypes.includes(data.type as string)) return false;
    if (eventNames && !eventNames.includes(data.name as string)) return false;
  }
  return true;
}

/** The body a change is sent as: Standard Webhooks' `{ type, timestamp, data }`. */
export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * A change's body. `data` is the change's data with its contactId; an event.stored carries the
 * whole stored event (Segment spec, as ingest kept it) as `data.event`.
 */
export function payloadOf(change: StoredChange, storedEvent?: unknown): WebhookPayload {
  const data = JSON.parse(change.data) as Record<string, unknown>;
  return {
    type: change.type,
    timestamp: new Date(change.at).toISOString(),
    data: {
      ...data,
      contactId: change.contactId,
      changeId: `ch_${change.seq}`,
      ...(storedEvent === undefined ? {} : { event: storedEvent }),
    },
  };
}

/**
 * payloadOf as the text sent. A stored event's body (`storedEventBody`: as ingest kept it, JSON;
 * null when it is gone) is put in as it stands, not parsed and written out again: `event` is the
 * last key of `data`, itself the last of the payload.
 */
export function payloadTextOf(change: StoredChange, storedEventBody?: string | null): string {
  const text = JSON.stringify(payloadOf(change));
  return storedEventBody === undefined ? text : `${text.slice(0, -2)},"event":${storedEventBody ?? 'null'}}}`;
}

/** Stable across attempts and replays of one change to one endpoint. */
export const webhookIdOf = (endpointId: string, seq: number) => `msg_${seq}_${endpointId.replace(/^wh_/, '')}`;
