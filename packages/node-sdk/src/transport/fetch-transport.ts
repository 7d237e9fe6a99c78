import type { BatchRequest, Transport, TransportResult } from '@weft/core';

export interface FetchTransportOptions {
  /** Full endpoint, e.g. `https://weft.example.com/v1/batch`. */
  url: string;
  writeKey: string;
  /** Sent as User-Agent, so the server's logs tell clients apart. */
  userAgent: string;
  /** Defaults to the global fetch (Node 20+); passed in for tests and proxies. */
  fetch?: typeof globalThis.fetch;
}

/** POSTs each batch with Basic auth (`writeKey:`), as Segment's API expects; never throws. */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  return {
    async send(request: BatchRequest): Promise<TransportResult> {
      const fetchFn = options.fetch ?? globalThis.fetch;
      try {
        const response = await fetchFn(options.url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/json',
            'user-agent': options.userAgent,
          },
          body: request.body,
          // The engine gives up at the same time; aborting frees the socket.
          signal: AbortSignal.timeout(request.timeoutMs),
        });
        // A connection cut while the body streams in is a network error, not an answer: a 200 cut
        // short may have lost its `rejected` list, so the batch goes again (the server dedupes).
        const text = await response.text();
        return {
          kind: 'response',
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: parseJson(text),
        };
      } catch (error) {
        return { kind: 'network-error', message: describe(error) };
      }
    },
  };
}

/** The body matters only when it is JSON (the server's `rejected` list, its error code). */
function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch hides the socket error (ECONNREFUSED, ECONNRESET…) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
