/** One batch request, its body already serialised so its size is known exactly. */
export interface BatchRequest {
  /** `{"batch":[…],"sentAt":"…",…}` as UTF-8 will carry it. */
  body: string;
  /** UTF-8 length of `body`. */
  bytes: number;
  eventCount: number;
  /** How long the engine will wait; a transport should abort its request by then. */
  timeoutMs: number;
}

export type TransportResult =
  | {
      kind: 'response';
      status: number;
      /** The `Retry-After` header as received. */
      retryAfter?: string | null;
      /** The parsed JSON body, when there was one. */
      body?: unknown;
    }
  | {
      kind: 'network-error';
      message: string;
      /** Set when the platform knows the device has no network at all. */
      isOffline?: boolean;
    };

/**
 * How a batch reaches the server: fetch, keepalive fetch or sendBeacon in the browser, http in
 * Node, a fake in tests. It resolves with what happened; it should not throw.
 */
export interface Transport {
  send(request: BatchRequest): Promise<TransportResult>;
}

/** Lets the engine skip the retry budget while the device is offline, and resume on reconnect. */
export interface Connectivity {
  isOnline(): boolean;
  /** Calls back when the device comes back online; returns an unsubscribe function. */
  onOnline(listener: () => void): () => void;
}
