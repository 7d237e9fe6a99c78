// A TCP proxy on 127.0.0.1 that sits between the SDKs and the server and breaks things on purpose:
// it cuts connections mid-request and mid-response, holds requests or answers past the client's
// timeout, answers 500 / 503 / 429 itself, and goes away entirely. Each connection carries one
// exchange (the forwarded request asks for `Connection: close`), so every request meets exactly
// the fault the schedule gave it.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FaultKind, RequestFault } from './fault-schedule.js';
import { closingRequest, frameRequest, statusResponse } from './http-framing.js';

export interface FaultProxyOptions {
  /** The server's port; `setTarget` changes it when the server restarts elsewhere. */
  targetPort: number;
  /** Several servers' ports instead, taken in turn, a connection each (a load balancer's round robin). */
  targetPorts?: readonly number[];
  /** What to do to request number `requestNumber`, arriving `elapsedMs` after the proxy started. */
  decide: (requestNumber: number, elapsedMs: number) => RequestFault;
  /** Defaults to Date.now. */
  now?: () => number;
}

export interface FaultCounts {
  /** Requests read in full from a client. */
  requests: number;
  /** Answers relayed whole from the server. */
  relayed: number;
  /** Forwarded requests the server never answered in full (refused, killed, reset). */
  upstreamFailures: number;
  /** Connections closed because the request could not be framed (chunked or pipelined). */
  unframed: number;
  /** Faults injected, by kind; `outage` counts the times the proxy went away. */
  injected: Record<FaultKind, number>;
}

export interface FaultProxy {
  readonly port: number;
  readonly url: string;
  setTarget(port: number): void;
  /** Round robin over these from now on. */
  setTargets(ports: readonly number[]): void;
  /** Stops listening (connections are refused) and cuts every open connection, until `comeBack`. */
  goAway(): Promise<void>;
  comeBack(): Promise<void>;
  /** From now on every request is forwarded untouched. */
  stopFaults(): void;
  counts(): FaultCounts;
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let targetPorts = options.targetPorts ?? [options.targetPort];
  let nextTarget = 0;
  const targetPort = () => targetPorts[nextTarget++ % targetPorts.length] as number;
  let areFaultsOn = true;
  let isAway = false;
  let requestCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const counts: FaultCounts = {
    requests: 0,
    relayed: 0,
    upstreamFailures: 0,
    unframed: 0,
    injected: {
      outage: 0,
      status_500: 0,
      status_503: 0,
      status_429: 0,
      cut_request: 0,
      cut_response: 0,
      delay_request: 0,
      delay_response: 0,
    },
  };

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Resets are the point of this proxy; they must not crash it.
    socket.on('error', () => undefined);
    return socket;
  };

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  /** Sends the request to the server and hands over its whole answer, or undefined if there was none. */
  const forward = (request: Buffer, onAnswer: (answer: Buffer | undefined) => void, partial?: number) => {
    const upstream = track(connect(targetPort(), '127.0.0.1'));
    const chunks: Buffer[] = [];
    let isDone = false;
    const finish = (answer: Buffer | undefined) => {
      if (isDone) return;
      isDone = true;
      if (answer === undefined && partial === undefined) counts.upstreamFailures++;
      onAnswer(answer);
    };
    upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstream.on('end', () => finish(Buffer.concat(chunks)));
    upstream.on('close', () => finish(undefined));
    upstream.on('connect', () => {
      if (partial === undefined) {
        upstream.write(request);
        return;
      }
      // Mid-request: the server gets part of it, then the connection dies.
      upstream.write(request.subarray(0, partial), () => later(20, () => upstream.destroy()));
    });
  };

  const relay = (client: Socket, answer: Buffer | undefined) => {
    if (answer === undefined || answer.length === 0) {
      client.destroy();
      return;
    }
    if (client.destroyed) return;
    counts.relayed++;
    client.end(answer);
  };

  const apply = (fault: RequestFault, client: Socket, request: Buffer) => {
    if (fault.kind !== 'none') counts.injected[fault.kind]++;
    switch (fault.kind) {
      case 'none':
        forward(request, (answer) => relay(client, answer));
        return;
      case 'outage':
        client.destroy();
        return;
      case 'status_500':
      case 'status_503':
      case 'status_429':
        client.end(statusResponse(fault.status, fault.retryAfterSeconds));
        return;
      case 'cut_request': {
        client.destroy();
        forward(request, () => undefined, cutPoint(request.length, fault.fraction));
        return;
      }
      case 'cut_response':
        forward(request, (answer) => {
          if (answer === undefined) return client.destroy();
          // The server has answered (and stored the batch); the client hears part of it, or nothing.
          client.write(answer.subarray(0, cutPoint(answer.length, fault.fraction)), () => client.destroy());
        });
        return;
      case 'delay_request':
        // Forwarded even if the client gave up meanwhile: a stale copy reaches the server late.
        later(fault.delayMs, () => forward(request, (answer) => relay(client, answer)));
        return;
      case 'delay_response':
        forward(request, (answer) => later(fault.delayMs, () => relay(client, answer)));
        return;
    }
  };

  const server: Server = createServer((client) => {
    track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const frame = frameRequest(buffered);
      if (frame.kind === 'incomplete') return;
      client.off('data', onData);
      if (frame.kind === 'unframed') {
        counts.unframed++;
        client.destroy();
        return;
      }
      counts.requests++;
      requestCount++;
      const fault =
        areFaultsOn && !isAway ? options.decide(requestCount, now() - startedAt) : { kind: 'none' as const };
      apply(fault, client, closingRequest(frame.head, frame.body));
    };
    client.on('data', onData);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setTarget(port) {
      targetPorts = [port];
    },
    setTargets(ports) {
      targetPorts = [...ports];
    },
    async goAway() {
      if (isAway) return;
      isAway = true;
      counts.injected.outage++;
      const closed = stopListening();
      cutAll();
      await closed;
    },
    async comeBack() {
      if (!isAway) return;
      await listen(port);
      isAway = false;
    },
    stopFaults() {
      areFaultsOn = false;
    },
    counts: () => structuredClone(counts),
    async close() {
      const closed = isAway ? Promise.resolve() : stopListening();
      isAway = true;
      cutAll();
      await closed;
    },
  };
}

/** Somewhere strictly inside a message of `length` bytes: at least one byte sent, at least one not. */
export function cutPoint(length: number, fraction: number): number {
  if (length < 2) return 0;
  return Math.min(length - 1, Math.max(1, Math.floor(length * fraction)));
}
