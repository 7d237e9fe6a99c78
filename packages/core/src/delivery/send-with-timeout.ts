import type { Clock } from '../clock.js';
import type { BatchRequest, Transport, TransportResult } from './transport.js';

/**
 * Sends through the transport, turning a throw or a request unanswered within its timeout into
 * a network error. A late answer to a timed-out request is ignored: the batch is retried and
 * the server's dedupe absorbs the repeat.
 */
export function sendWithTimeout(transport: Transport, request: BatchRequest, clock: Clock): Promise<TransportResult> {
  return new Promise<TransportResult>((resolve) => {
    const timeout = clock.setTimeout(
      () => resolve({ kind: 'network-error', message: `no answer within ${request.timeoutMs} ms` }),
      request.timeoutMs,
    );
    Promise.resolve()
      .then(() => transport.send(request))
      .catch((error: unknown): TransportResult => ({ kind: 'network-error', message: describe(error) }))
      .then((result) => {
        clock.clearTimeout(timeout);
        resolve(result);
      });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : `the transport failed: ${String(error)}`;
}
