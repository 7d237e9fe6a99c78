import type { QueueItem } from '../queue/queue-store.js';
import type { DropReason } from './reports.js';
import { classifyStatus, parseRetryAfter } from './retry-policy.js';
import type { TransportResult } from './transport.js';

export type BatchOutcome =
  | { kind: 'delivered'; delivered: QueueItem[]; rejected: Array<{ item: QueueItem; reason: DropReason }> }
  | {
      kind: 'retry';
      reason: string;
      /** The HTTP status, when the server answered. */
      status?: number;
      /** The server's Retry-After, capped. */
      retryAfterMs?: number;
      /** False for waits that are not the batch's fault: offline, or rate limited (429). */
      countsAttempt: boolean;
      isOffline: boolean;
    }
  | { kind: 'split'; halves: [QueueItem[], QueueItem[]] }
  | { kind: 'drop'; reason: DropReason };

export interface OutcomeContext {
  nowMs: number;
  maxRetryAfterMs: number;
  /** What the platform says of the network, when it knows. */
  isOnline?: boolean;
}

/** What a transport's answer means for the batch that was sent. Pure: the engine applies it. */
export function interpretResult(result: TransportResult, items: QueueItem[], context: OutcomeContext): BatchOutcome {
  if (result.kind === 'network-error') {
    const isOffline = result.isOffline === true || context.isOnline === false;
    return { kind: 'retry', reason: result.message, countsAttempt: !isOffline, isOffline };
  }
  const { status } = result;
  switch (classifyStatus(status)) {
    case 'deliver':
      return deliveredOutcome(items, result.body);
    case 'retry':
      return {
        kind: 'retry',
        reason: `HTTP ${status}`,
        status,
        retryAfterMs: parseRetryAfter(result.retryAfter, context.nowMs, context.maxRetryAfterMs),
        countsAttempt: status !== 429,
        isOffline: false,
      };
    case 'split': {
      if (items.length > 1) {
        const middle = Math.ceil(items.length / 2);
        return { kind: 'split', halves: [items.slice(0, middle), items.slice(middle)] };
      }
      return { kind: 'drop', reason: { ...serverReason(status, result.body), code: 'payload_too_large' } };
    }
    case 'drop':
      return { kind: 'drop', reason: serverReason(status, result.body) };
  }
}

interface ServerRejection {
  index?: unknown;
  messageId?: unknown;
  code?: unknown;
  message?: unknown;
}

/** A 2xx answer; events the server listed under `rejected` are dropped, never counted as delivered. */
function deliveredOutcome(items: QueueItem[], body: unknown): BatchOutcome {
  const rejections = readRejections(body);
  if (rejections.length === 0) return { kind: 'delivered', delivered: items, rejected: [] };
  const reasons = new Map<QueueItem, DropReason>();
  for (const rejection of rejections) {
    const item =
      items.find((candidate) => candidate.id === rejection.messageId) ??
      (typeof rejection.index === 'number' ? items[rejection.index] : undefined);
    if (!item) continue;
    reasons.set(item, {
      code: 'rejected',
      message: typeof rejection.message === 'string' ? rejection.message : 'rejected by the server',
      status: 200,
      ...(typeof rejection.code === 'string' ? { serverCode: rejection.code } : {}),
    });
  }
  return {
    kind: 'delivered',
    delivered: items.filter((item) => !reasons.has(item)),
    rejected: [...reasons].map(([item, reason]) => ({ item, reason })),
  };
}

function readRejections(body: unknown): ServerRejection[] {
  if (body === null || typeof body !== 'object') return [];
  const rejected = (body as { rejected?: unknown }).rejected;
  if (!Array.isArray(rejected)) return [];
  return rejected.filter((entry): entry is ServerRejection => entry !== null && typeof entry === 'object');
}

/** A final HTTP error, with the server's `{error: {code, message}}` when it sent one. */
function serverReason(status: number, body: unknown): DropReason {
  const error = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  const details = error !== null && typeof error === 'object' ? (error as { code?: unknown; message?: unknown }) : {};
  return {
    code: 'http_error',
    status,
    message: typeof details.message === 'string' ? details.message : `the server answered HTTP ${status}`,
    ...(typeof details.code === 'string' ? { serverCode: details.code } : {}),
  };
}
