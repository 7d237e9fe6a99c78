import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { BatchRequest, Transport, TransportResult } from '@weft/core';

export interface HttpTransportOptions {
  /** Full endpoint, e.g. `https://weft.example.com/v1/batch`. */
  url: string;
  writeKey: string;
  /** Sent as User-Agent, so the server's logs tell clients apart. */
  userAgent: string;
  /** Sockets kept open for reuse: the engine's requests in flight at once. */
  maxSockets: number;
}

/**
 * POSTs each batch with node:http(s) over keep-alive sockets, with Basic auth (`writeKey:`) as
 * Segment's API expects; never throws. The body is one string written at once: a quarter of the
 * CPU the global fetch spends per request (`pnpm bench:node`, profiled), where it streams the body.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const url = new URL(options.url);
  const isHttps = url.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const agent = isHttps ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = isHttps ? httpsRequest : httpRequest;
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  return {
    send: (batch: BatchRequest) =>
      new Promise<TransportResult>((resolve) => {
        const settle = (result: TransportResult) => {
          clearTimeout(timer);
          resolve(result);
        };
        const fail = (error: Error) => settle({ kind: 'network-error', message: describe(error) });
        const outgoing = send(
          url,
          {
            method: 'POST',
            agent,
            headers: {
              authorization,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(batch.body),
              'user-agent': options.userAgent,
            },
          },
          (response) => readResponse(response).then(settle, fail),
        );
        // The engine gives up at the same time; destroying the request frees the socket. A timer,
        // not `AbortSignal.timeout`: that costs about 55 µs of CPU per request in Node 20, more
        // than the rest of a 100-event request's client side (`pnpm bench:node`, profiled).
        const timer = setTimeout(
          () => outgoing.destroy(new Error(`no answer within ${batch.timeoutMs} ms`)),
          batch.timeoutMs,
        ).unref();
        outgoing.on('error', fail);
        outgoing.end(batch.body);
      }),
  };
}

/**
 * The whole answer, or a rejection when the connection is cut while the body streams in: a 200
 * cut short may have lost its `rejected` list, so the batch goes again (the server dedupes).
 */
function readResponse(response: IncomingMessage): Promise<TransportResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the connection closed before the answer ended')));
    response.on('end', () => {
      if (!response.complete) {
        reject(new Error('the connection closed before the answer ended'));
        return;
      }
      const retryAfter = response.headers['retry-after'];
      resolve({
        kind: 'response',
        status: response.statusCode ?? 0,
        retryAfter: retryAfter ?? null,
        body: parseJson(Buffer.concat(chunks).toString('utf8')),
      });
    });
  });
}

/** The body matters only when it is JSON (the server's `rejected` list, its error code). */
function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
