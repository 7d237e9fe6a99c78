import { randomBytes } from 'node:crypto';
import type { StoredChange } from '../changes/change.js';
import { newWebhookSecret } from '../webhooks/webhook-signature.js';
import type {
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookFormat,
  WebhookMessage,
} from '../webhooks/webhook-store.js';
import {
  type Subscription,
  type WebhookFilters,
  type WebhookType,
  webhookIdOf,
} from '../webhooks/webhook-subscription.js';

/** An endpoint's row, as both engines store it (SQLite keeps is_enabled as 0 or 1). */
export interface EndpointRow {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly types: string;
  readonly filters: string;
  readonly secrets: string;
  readonly is_enabled: number | boolean;
  readonly disabled_reason: string | null;
  readonly max_per_second: number | null;
  readonly format: WebhookFormat;
  readonly forward_write_key: string | null;
  readonly consent_category: string | null;
  readonly position: number;
  readonly last_success_at: number | null;
  readonly failing_since: number | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** A queued message's row, as both engines store it. */
export interface MessageRow {
  readonly id: number;
  readonly webhook_id: string;
  readonly seq: number;
  readonly contact_id: string | null;
  readonly type: string;
  readonly body: string;
  readonly status: WebhookMessage['status'];
  readonly attempts: number;
  readonly next_attempt_at: number | null;
  readonly last_status: number | null;
  readonly last_error: string | null;
  readonly last_snippet: string | null;
  readonly last_attempt_at: number | null;
  readonly created_at: number;
}

/** JSON `[[secret, expiresAt | null], …]`, newest first. */
type Secrets = [secret: string, expiresAt: number | null][];

/** An endpoint's columns as saved, but its position and times. */
export interface EndpointFields {
  readonly url: string;
  readonly description: string | null;
  readonly types: string;
  readonly filters: string;
  readonly isEnabled: boolean;
  readonly maxPerSecond: number | null;
  readonly format: WebhookFormat;
  readonly writeKey: string | null;
  readonly consentCategory: string | null;
}

/** A new endpoint: its id, its first secret (shown once), its fields. */
export function newEndpoint(input: WebhookEndpointInput): {
  readonly id: string;
  readonly secret: string;
  readonly secrets: string;
  readonly fields: EndpointFields;
} {
  const secret = newWebhookSecret();
  return {
    id: `wh_${randomBytes(9).toString('base64url')}`,
    secret,
    secrets: JSON.stringify([[secret, null]] satisfies Secrets),
    fields: {
      url: input.url,
      description: input.description ?? null,
      types: JSON.stringify(input.types),
      filters: JSON.stringify(input.filters ?? {}),
      isEnabled: input.isEnabled !== false,
      maxPerSecond: input.maxPerSecond ?? null,
      format: input.format ?? 'standard',
      writeKey: input.writeKey ?? null,
      consentCategory: input.consentCategory ?? null,
    },
  };
}

/** What an update saves: each field the input names, the rest as they are. */
export function updatedEndpoint(row: EndpointRow, input: Partial<WebhookEndpointInput>): EndpointFields {
  const current = toEndpoint(row);
  return {
    url: input.url ?? current.url,
    description: input.description === undefined ? current.description : input.description,
    types: JSON.stringify(input.types ?? current.types),
    filters: JSON.stringify(input.filters ?? current.filters),
    isEnabled: input.isEnabled ?? current.isEnabled,
    maxPerSecond: input.maxPerSecond === undefined ? current.maxPerSecond : input.maxPerSecond,
    format: input.format ?? current.format,
    writeKey: input.writeKey === undefined ? row.forward_write_key : input.writeKey,
    consentCategory: input.consentCategory === undefined ? current.consentCategory : input.consentCategory,
  };
}

/** The secrets after a rotation: a new one first; the old ones kept, each until `oldExpiresAt` at most. */
export function rotatedSecrets(
  secretsJson: string,
  now: number,
  oldExpiresAt: number,
): { secret: string; secrets: string } {
  const secret = newWebhookSecret();
  const kept = (JSON.parse(secretsJson) as Secrets)
    .filter(([, expiresAt]) => expiresAt === null || expiresAt > now)
    .map(([old, expiresAt]): [string, number | null] => [old, expiresAt ?? oldExpiresAt]);
  return { secret, secrets: JSON.stringify([[secret, null], ...kept]) };
}

/** The secrets to sign with at `now`, newest first. */
export function liveSecrets(secretsJson: string, now: number): string[] {
  return (JSON.parse(secretsJson) as Secrets)
    .filter(([, expiresAt]) => expiresAt === null || expiresAt > now)
    .map(([secret]) => secret);
}

export function subscriptionOf(row: EndpointRow): Subscription {
  return {
    types: JSON.parse(row.types) as WebhookType[],
    filters: JSON.parse(row.filters) as WebhookFilters,
    consentCategory: row.consent_category,
  };
}

/** The gap message recorded where pruning removed changes an endpoint had not read. */
export function gapMessage(endpointId: string, position: number, pruned: number) {
  return {
    endpointId,
    webhookId: `gap_${position + 1}_${pruned}`,
    seq: pruned,
    body: JSON.stringify({ fromSeq: position + 1, toSeq: pruned, reason: 'the change feed no longer held them' }),
  };
}

/** The message that queues a change for an endpoint: its body is made from the feed when it is sent. */
export function pendingMessage(endpointId: string, change: StoredChange, now: number) {
  return {
    webhookId: webhookIdOf(endpointId, change.seq),
    seq: change.seq,
    contactId: change.contactId,
    type: change.type,
    body: '',
    status: 'pending' as const,
    nextAttemptAt: now,
  };
}

/** The last error of a message whose change is gone from the feed when it is sent. */
export const lostMessageError = 'the change is no longer in the feed';

/** The status an attempt leaves its message in. */
export function statusAfter(outcome: 'delivered' | 'retry' | 'failed'): WebhookMessage['status'] {
  return outcome === 'delivered' ? 'delivered' : outcome === 'failed' ? 'failed' : 'pending';
}

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    types: JSON.parse(row.types) as WebhookType[],
    filters: JSON.parse(row.filters) as WebhookFilters,
    isEnabled: row.is_enabled === true || row.is_enabled === 1,
    disabledReason: row.disabled_reason,
    maxPerSecond: row.max_per_second,
    format: row.format,
    hasWriteKey: row.forward_write_key !== null,
    consentCategory: row.consent_category,
    position: row.position,
    lastSuccessAt: row.last_success_at,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toMessage(row: MessageRow): WebhookMessage {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    seq: row.seq,
    contactId: row.contact_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastSnippet: row.last_snippet,
    lastAttemptAt: row.last_attempt_at,
    createdAt: row.created_at,
  };
}

/**
 * The due messages to take in order, from the due rows by id (those in flight among them): up to
 * `limit`, leaving out those in flight, and every later message of a contact with one in flight.
 */
export function inOrderDue<R extends { readonly id: number; readonly contact_id: string | null }>(
  rows: readonly R[],
  limit: number,
  isInFlight: (row: R) => boolean,
): R[] {
  const blocked = new Set<string>();
  const due: R[] = [];
  for (const row of rows) {
    if (due.length === limit) break;
    if (row.contact_id !== null && blocked.has(row.contact_id)) continue;
    if (isInFlight(row)) {
      if (row.contact_id !== null) blocked.add(row.contact_id);
      continue;
    }
    due.push(row);
  }
  return due;
}
