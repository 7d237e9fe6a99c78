// What the chaos harness needs from an app using one of our SDKs. A driver runs the real SDK (in a
// child process, a browser page…) pointed at the fault proxy, and keeps the tally of what the SDK
// told the app: which calls it accepted, which events it reported delivered, and which dropped.

export interface DriverTally {
  /** messageIds of the calls the SDK accepted (with a durable queue: once the event was stored). */
  accepted: string[];
  /** messageIds the SDK reported delivered (acknowledged by the server). */
  delivered: string[];
  /** Events the SDK reported dropped, with the reason's code. */
  dropped: { messageId: string; code: string }[];
  /** Retry reports, and the highest attempt number one of them carried. */
  retries: number;
  highestAttempt: number;
  /** Retry reports by the attempt number they carried: how close batches came to maxAttempts. */
  retriesByAttempt: Record<number, number>;
  /** Times the app was killed (SIGKILL) and started again on its durable queue. */
  kills: number;
  /** messageId prefixes of app lives that were killed: their last calls may be stored unacknowledged. */
  killedLives: string[];
  /** Non-fatal SDK errors (a failed disk write…), as messages. */
  errors: string[];
}

export interface DrainResult {
  isComplete: boolean;
  /** Events still neither delivered nor dropped when the drain ended. */
  pending: number;
}

export interface ChaosDriver {
  /** Names the driver in the summary, and prefixes its messageIds. */
  readonly name: string;
  /** Calls per tick, when this app should not make the harness's default number. */
  readonly eventsPerTick?: number;
  /** Starts the app, its SDK sending to `url` (the proxy). */
  start(url: string): Promise<void>;
  /** Makes `count` calls; resolves once the SDK accepted them (their ids are then in the tally). */
  send(count: number): Promise<void>;
  /** Stops sending; waits at most `timeoutMs` for everything accepted to be delivered or dropped; ends the app. */
  drain(timeoutMs: number): Promise<DrainResult>;
  /** Optional: SIGKILL the app and start it again on the same durable queue. */
  kill?(): Promise<void>;
  /** Ends whatever still runs (idempotent; for finally blocks). */
  stop(): Promise<void>;
  tally(): DriverTally;
}

/** How a driver should scale the SDK's time so a run of minutes exercises retries (see docs/reliability.md). */
export interface SdkTiming {
  /** Request timeout, ms. */
  requestTimeoutMs: number;
  /** Longest an event waits for a batch to fill, ms. */
  flushIntervalMs: number;
  flushAt: number;
  /** Scales the retry jitter: backoff ceilings become this fraction of the defaults. 1 = defaults. */
  backoffScale: number;
}

export function emptyTally(): DriverTally {
  return {
    accepted: [],
    delivered: [],
    dropped: [],
    retries: 0,
    highestAttempt: 0,
    retriesByAttempt: {},
    kills: 0,
    killedLives: [],
    errors: [],
  };
}
