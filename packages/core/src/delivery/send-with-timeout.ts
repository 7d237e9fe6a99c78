import { type Clock, withTimeout } from '../clock.js';
import type { BatchRequest, Transport, TransportResult } from './transport.js';

/**
 * Sends through the transport, turning a throw or a request unanswered within its timeout into
 * a network error. A late answer to a timed-out request is ignored: the batch is retried and
 * the server's dedupe absorbs the repeat.
 */
export function sendWithTimeout(transport: Transport, request: BatchRequest, clock: Clock): Promise<TransportResult> {
  const sent = Promise.resolve()
    .then(() => transport.send(request))
    .catch((error: unknown): TransportResult => ({ kind: 'network-error', message: describe(error) }));
  return withTimeout(clock, sent, request.timeoutMs, () => ({
    kind: 'network-error',
    message: `no answer within ${request.timeoutMs} ms`,
  }));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : `the transport failed: ${String(error)}`;
}
