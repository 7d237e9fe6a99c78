import type { WebhookFilters, WebhookPayload, WebhookType } from './webhook-subscription.js';

/** An endpoint as the API shows it (never its secrets). */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly types: readonly WebhookType[];
  readonly filters: WebhookFilters;
  readonly isEnabled: boolean;
  /** Why Weft disabled it (410, 5 days without a success), or null. */
  readonly disabledReason: string | null;
  /** Deliveries started per second at most; null for no limit. */
  readonly maxPerSecond: number | null;
  /** standard: Standard Webhooks, a change per request; segment: stored events as Segment /v1/batch bodies. */
  readonly format: WebhookFormat;
  /** Whether a write key for the receiver is kept (segment format); the key itself is never shown. */
  readonly hasWriteKey: boolean;
  readonly consentCategory: string | null;
  /** The change seq its queue has read up to. */
  readonly position: number;
  readonly lastSuccessAt: number | null;
  /** When attempts began failing with none succeeding since; null while they succeed. */
  readonly failingSince: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface WebhookEndpointInput {
  readonly url: string;
  readonly description?: string | null | undefined;
  readonly types: readonly WebhookType[];
  readonly filters?: WebhookFilters | undefined;
  readonly isEnabled?: boolean | undefined;
  readonly maxPerSecond?: number | null | undefined;
  readonly format?: WebhookFormat | undefined;
  /** The receiver's write key (segment format): sent as Basic auth. */
  readonly writeKey?: string | null | undefined;
  readonly consentCategory?: string | null | undefined;
}

export type WebhookFormat = 'standard' | 'segment';

/** One message to one endpoint: a change, as sent, with where its delivery stands. */
export interface WebhookMessage {
  readonly id: number;
  /** `webhook-id`: the same for every attempt and replay of this change to this endpoint. */
  readonly webhookId: string;
  readonly seq: number;
  readonly contactId: string | null;
  readonly type: string;
  /** pending (to send, or to retry), delivered, failed (retries spent), gap (changes the feed no longer held). */
  readonly status: 'pending' | 'delivered' | 'failed' | 'gap';
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly lastSnippet: string | null;
  readonly lastAttemptAt: number | null;
  readonly createdAt: number;
}

/** A message to send now: its body as the receiver gets it. */
export interface DueMessage {
  readonly id: number;
  readonly webhookId: string;
  readonly contactId: string | null;
  readonly attempts: number;
  readonly body: string;
}

/** What an attempt came to, as the worker records it. */
export interface AttemptRecord {
  readonly messageId: number;
  readonly at: number;
  readonly status: number;
  readonly error: string | null;
  readonly snippet: string;
  /** delivered; or pending again at nextAttemptAt; or failed (retries spent). */
  readonly outcome: 'delivered' | 'retry' | 'failed';
  readonly nextAttemptAt: number | null;
}

/**
 * Webhook endpoints and their durable queues, engine-neutral. The queue of an endpoint is filled
 * from the change feed after its position (`enqueue`), so a crash loses nothing: what was read is
 * in the queue, what was not is still in the feed.
 */
export interface WebhookStore {
  list(): Promise<WebhookEndpoint[]>;
  get(id: string): Promise<WebhookEndpoint | undefined>;
  /** A new endpoint, reading the feed from its head; answers it with its secret, shown once. */
  create(input: WebhookEndpointInput, now: number): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  update(id: string, input: Partial<WebhookEndpointInput>, now: number): Promise<WebhookEndpoint | undefined>;
  remove(id: string): Promise<boolean>;
  /** A new secret, shown once; the old one is still signed with until `oldExpiresAt`. */
  rotateSecret(id: string, now: number, oldExpiresAt: number): Promise<string | undefined>;
  /** The secrets to sign with now, newest first. */
  secretsOf(id: string, now: number): Promise<string[]>;
  /**
   * Reads up to `limit` changes after the endpoint's position into its queue (those it subscribes
   * to), records a gap where the feed no longer holds what it had not read, and moves its position,
   * in one transaction; answers how many changes it read.
   */
  enqueue(endpointId: string, limit: number, now: number): Promise<number>;
  /**
   * Up to `limit` messages due now, leased for `leaseMs` (a crash before their outcome is recorded
   * makes them due again then). `earliest` (default): each the earliest pending one of its contact,
   * for one request per message; `inOrder`: a contact's due messages in order, for one request that
   * carries them all (segment batches). Either way a contact's message waits while an earlier one
   * is being retried.
   */
  takeDue(
    endpointId: string,
    now: number,
    limit: number,
    leaseMs: number,
    perContact?: 'earliest' | 'inOrder',
    /** The bodies' bytes together at most (one message at least). */
    maxBytes?: number,
  ): Promise<DueMessage[]>;
  /**
   * Ends every lease: called when the one process delivering starts, so that the attempts a dead
   * process left in flight are made again at once.
   */
  releaseLeases(): Promise<void>;
  /** The receiver's write key (segment format), or null. */
  writeKeyOf(endpointId: string): Promise<string | null>;
  /** The earliest time after `after` a pending message of the endpoint falls due (a retry); null when none does. */
  nextDueAt(endpointId: string, after: number): Promise<number | null>;
  /** Whether takeDue would answer a message now. */
  hasDue(endpointId: string, now: number): Promise<boolean>;
  recordAttempts(endpointId: string, attempts: readonly AttemptRecord[]): Promise<void>;
  /** Disables it; the feed's retention stops waiting for it. */
  disable(endpointId: string, reason: string, now: number): Promise<void>;
  /** Removes up to `limit` delivered messages last attempted before `before`; answers how many. */
  pruneDelivered(before: number, limit: number): Promise<number>;
  /** Its messages, newest first, before message id `before`. */
  messages(endpointId: string, before: number, limit: number): Promise<WebhookMessage[]>;
  /** Queues again every change from `from` to `to` (epoch ms) the endpoint subscribes to; answers how many. */
  replay(endpointId: string, from: number, to: number, now: number): Promise<number>;
  /** The newest change seq, and how far behind it each endpoint's queue is. */
  backlog(): Promise<{ endpointId: string; unread: number; pending: number; oldestPendingAt: number | null }[]>;
}

export type { WebhookPayload };
