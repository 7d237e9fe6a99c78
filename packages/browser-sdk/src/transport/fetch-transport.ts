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
        // A body cut off is a network error (the catch below): a 200 cut short may have lost its
        // `rejected` list, so the batch goes again. Only JSON matters (`rejected`, error codes).
        const text = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {}
        return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after'), body };
      } catch (error) {
        // Whether the device is offline, the engine asks its connectivity signal.
        return { kind: 'network-error', message: String(error) };
      }
    },
  };
}
