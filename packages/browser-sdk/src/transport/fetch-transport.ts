import type { BatchRequest, Transport, TransportResult } from '@weft/core';

export interface FetchTransportOptions {
  /** Full endpoint, e.g. `https://weft.example.com/v1/batch`. */
  url: string;
  writeKey: string;
  fetch?: typeof globalThis.fetch;
}

/** POSTs each batch with Basic auth (`writeKey:`), as Segment's API expects; never throws. */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const authorization = `Basic ${btoa(`${options.writeKey}:`)}`;
  return {
    async send(request: BatchRequest): Promise<TransportResult> {
      try {
        const response = await (options.fetch ?? fetch)(options.url, {
          method: 'POST',
          // No content-type: a string body goes as text/plain, which the server reads as JSON all the same.
          headers: { authorization },
          body: request.body,
          signal: AbortSignal.timeout(request.timeoutMs),
        });
        return {
          kind: 'response',
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          // The body matters only when it is JSON (the server's `rejected` list, its error code).
          body: await response.json().catch(() => undefined),
        };
      } catch (error) {
        // Whether the device is offline, the engine asks its connectivity signal.
        return { kind: 'network-error', message: String(error) };
      }
    },
  };
}
