import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './api-error.js';

export interface RequestTimeouts {
  /** Time allowed for a request's headers (Node's headersTimeout answers 408). */
  readonly headersMs: number;
  /** Time allowed for a body that does not move; it grows with each byte that arrives. */
  readonly bodyMs: number;
  /** The slowest upload that keeps extending its deadline: each byte buys 1/rate seconds more. */
  readonly minBodyBytesPerSecond: number;
}

export const defaultRequestTimeouts: RequestTimeouts = {
  headersMs: 10_000,
  bodyMs: 30_000,
  minBodyBytesPerSecond: 1024,
};

/** How often deadlines are checked, and the most a deadline is overrun by. */
export const deadlineCheckMs = 1000;

interface PendingBody {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly socket: Socket;
  readonly startedAt: number;
  readonly bytesAtStart: number;
}

/**
 * Bounds how long a client may hold a socket while sending its request. Node's own requestTimeout
 * counts from the first byte to the last whatever moves in between, so it would cut a large upload
 * that is still arriving; it is off, and each body gets a deadline of `bodyMs` plus the time its
 * received bytes buy at `minBodyBytesPerSecond`. A body that stalls, or trickles a byte now and then,
 * is answered 408 (or, when the route already answered without reading it, just closed). Responses
 * are not bounded: a stream that sends heartbeats stays open, as its request was complete long ago.
 * The server must be created with `connectionsCheckingInterval` at most `deadlineCheckMs`, or Node
 * checks the headers deadline every 30 s.
 */
export function enforceRequestTimeouts(
  server: Server,
  timeouts: RequestTimeouts,
  onTimeout: (req: IncomingMessage) => void = () => {},
): { stop(): void } {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = 0;
  const pending = new Set<PendingBody>();
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.complete) return;
    const entry = { req, res, socket: req.socket, startedAt: Date.now(), bytesAtStart: req.socket.bytesRead };
    pending.add(entry);
    const forget = () => pending.delete(entry);
    req.once('end', forget);
    req.once('close', forget);
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const entry of pending) {
      if (entry.req.complete || entry.socket.destroyed) {
        pending.delete(entry);
        continue;
      }
      const received = entry.socket.bytesRead - entry.bytesAtStart;
      const allowedMs = timeouts.bodyMs + (received / timeouts.minBodyBytesPerSecond) * 1000;
      if (now - entry.startedAt <= allowedMs) continue;
      pending.delete(entry);
      onTimeout(entry.req);
      answerTimeout(entry, timeouts);
    }
  }, deadlineCheckMs);
  sweep.unref();
  return { stop: () => clearInterval(sweep) };
}

function answerTimeout(entry: PendingBody, timeouts: RequestTimeouts): void {
  const { res, socket } = entry;
  if (res.headersSent || res.writableEnded) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(
    errorBody(
      'request_timeout',
      `the request body did not arrive in time (${timeouts.bodyMs / 1000} s, more while it keeps moving); send it again`,
    ),
  );
  res.writeHead(408, {
    'Content-Type': 'application/json',
    Connection: 'close',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body, () => socket.destroy());
  // A client that does not read the answer must not hold the socket either.
  setTimeout(() => socket.destroy(), deadlineCheckMs).unref();
}
