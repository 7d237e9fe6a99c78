// A scriptable stand-in for the server, for engine tests: it records every request, answers
// from a script, and stores events once by messageId, as the real server does.
import type { SegmentEvent } from '../event/types.js';
import type { BatchRequest, Transport, TransportResult } from './transport.js';

export interface ReceivedBatch {
  batch: SegmentEvent[];
  sentAt: string;
  bytes: number;
  body: Record<string, unknown>;
}

export type Answer = TransportResult | Promise<TransportResult>;

export function ok(body: unknown = { success: true }): TransportResult {
  return { kind: 'response', status: 200, body };
}

export function status(code: number, retryAfter?: string, body?: unknown): TransportResult {
  return { kind: 'response', status: code, retryAfter: retryAfter ?? null, body };
}

export function networkError(isOffline = false): TransportResult {
  return { kind: 'network-error', message: 'connection refused', isOffline };
}

export class FakeServer implements Transport {
  readonly requests: ReceivedBatch[] = [];
  /** messageId → times stored (always 1: the server dedupes) */
  readonly stored = new Map<string, SegmentEvent>();
  duplicatesAbsorbed = 0;

  constructor(private answer: (request: ReceivedBatch, index: number) => Answer = () => ok()) {}

  respondWith(answer: (request: ReceivedBatch, index: number) => Answer): void {
    this.answer = answer;
  }

  async send(request: BatchRequest): Promise<TransportResult> {
    const body = JSON.parse(request.body) as { batch: SegmentEvent[]; sentAt: string };
    const received: ReceivedBatch = { batch: body.batch, sentAt: body.sentAt, bytes: request.bytes, body };
    this.requests.push(received);
    const result = await this.answer(received, this.requests.length - 1);
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) this.store(received, result);
    return result;
  }

  get sentMessageIds(): string[] {
    return this.requests.flatMap((request) => request.batch.map((event) => event.messageId));
  }

  private store(received: ReceivedBatch, result: TransportResult): void {
    const rejected = new Set<string>(
      ((result.kind === 'response' && (result.body as { rejected?: { messageId: string }[] })?.rejected) || []).map(
        (entry) => entry.messageId,
      ),
    );
    for (const event of received.batch) {
      if (rejected.has(event.messageId)) continue;
      if (this.stored.has(event.messageId)) this.duplicatesAbsorbed++;
      else this.stored.set(event.messageId, event);
    }
  }
}
