// The chaos test's fault schedule, as pure functions of a seed: which stretches of time the proxy
// answers errors, goes away or the server is killed ("episodes"), and which single requests it
// cuts or delays in between. Same seed, same plan; the run's timing decides which request meets it.
import { createSeededRandom, hashToUnit } from './seeded-random.js';

/** Stretches of time: the proxy answers a status itself, refuses connections, or the server dies. */
export type EpisodeKind = 'status_500' | 'status_503' | 'status_429' | 'outage' | 'server_kill';

/** Faults that hit one request at a time, between episodes. */
export type RequestFaultKind = 'cut_request' | 'cut_response' | 'delay_request' | 'delay_response';

export interface Episode {
  kind: EpisodeKind;
  startMs: number;
  /** For a kill, the time set aside for the restart: the next episode starts after it. */
  endMs: number;
}

export type RequestFault =
  | { kind: 'none' }
  | { kind: 'outage' }
  | { kind: 'status_500' | 'status_503' | 'status_429'; status: number; retryAfterSeconds?: number }
  /** Cut the connection once this fraction of the request (or response) bytes went through. */
  | { kind: 'cut_request' | 'cut_response'; fraction: number }
  /** Hold the request before forwarding it, or the response before relaying it. */
  | { kind: 'delay_request' | 'delay_response'; delayMs: number };

export type FaultKind = Exclude<RequestFault['kind'], 'none'>;

export interface FaultPlanOptions {
  /** Faults happen in [0, durationMs); none after. */
  durationMs: number;
  /** No episode before this: the clients start on a healthy server. */
  warmupMs: number;
  /** Healthy time between two episodes (request faults still happen), drawn uniformly. */
  gapMs: [min: number, max: number];
  /** Length of a status or outage episode, drawn uniformly. */
  episodeMs: [min: number, max: number];
  /** Time set aside after a kill for the server to restart. */
  killReserveMs: number;
  /**
   * The deck of episodes, dealt in a fresh shuffle each round: every kind in it comes up once per
   * round (list a kind twice to have it twice as often), so a short run still meets each one.
   */
  episodeDeck: EpisodeKind[];
  /**
   * How many of each `requestFaultBlock` requests arriving between episodes meet each fault, in a
   * shuffled order: exact counts rather than rates, so that even a short run meets every kind.
   */
  requestFaults: Record<RequestFaultKind, number>;
  requestFaultBlock: number;
  /** How long a delay fault holds a request or response: longer than the SDKs' request timeout. */
  delayMs: number;
  /** Sent with 503 and 429. */
  retryAfterSeconds: number;
}

export interface FaultPlan {
  seed: number;
  options: FaultPlanOptions;
  /** In time order, never overlapping. */
  episodes: Episode[];
}

/** Lays out the episodes of a run. */
export function planFaults(seed: number, options: FaultPlanOptions): FaultPlan {
  const random = createSeededRandom(seed);
  const between = ([min, max]: [number, number]) => min + random() * (max - min);
  if (options.episodeDeck.length === 0) throw new RangeError('the episode deck is empty');
  const episodes: Episode[] = [];
  let hand: EpisodeKind[] = [];
  let time = options.warmupMs;
  for (;;) {
    if (hand.length === 0) hand = shuffle(options.episodeDeck, random);
    const kind = hand.pop() as EpisodeKind;
    const startMs = Math.round(time + between(options.gapMs));
    const endMs = startMs + Math.round(kind === 'server_kill' ? options.killReserveMs : between(options.episodeMs));
    if (endMs > options.durationMs) break;
    episodes.push({ kind, startMs, endMs });
    time = endMs;
  }
  return { seed, options, episodes };
}

/** The episode under way at `elapsedMs`, if any. */
export function episodeAt(plan: FaultPlan, elapsedMs: number): Episode | undefined {
  return plan.episodes.find((episode) => episode.startMs <= elapsedMs && elapsedMs < episode.endMs);
}

/** What the proxy does to a request arriving `elapsedMs` into the run during an episode; undefined between episodes. */
export function episodeFault(plan: FaultPlan, elapsedMs: number): RequestFault | undefined {
  const { options } = plan;
  if (elapsedMs >= options.durationMs) return { kind: 'none' };
  switch (episodeAt(plan, elapsedMs)?.kind) {
    case undefined:
      return undefined;
    case 'outage':
      return { kind: 'outage' };
    case 'status_500':
      return { kind: 'status_500', status: 500 };
    case 'status_503':
      return { kind: 'status_503', status: 503, retryAfterSeconds: options.retryAfterSeconds };
    case 'status_429':
      return { kind: 'status_429', status: 429, retryAfterSeconds: options.retryAfterSeconds };
    case 'server_kill':
      // The server is really down (or starting): the proxy forwards and meets a refusal.
      return { kind: 'none' };
  }
}

/** What the proxy does to the `healthyNumber`th request (from 1) arriving between episodes. */
export function requestFault(plan: FaultPlan, healthyNumber: number): RequestFault {
  const { options, seed } = plan;
  const blockSize = options.requestFaultBlock;
  const block = Math.floor((healthyNumber - 1) / blockSize);
  const deck: RequestFaultKind[] = (Object.entries(options.requestFaults) as [RequestFaultKind, number][]).flatMap(
    ([kind, count]) => Array.from({ length: count }, () => kind),
  );
  if (deck.length > blockSize) throw new RangeError(`more request faults than the block of ${blockSize} holds`);
  const dealt = shuffle(
    [...deck, ...Array.from({ length: blockSize - deck.length }, () => undefined)],
    createSeededRandom(seed + 7_919 * (block + 1)),
  );
  const kind = dealt[(healthyNumber - 1) % blockSize];
  switch (kind) {
    case undefined:
      return { kind: 'none' };
    case 'cut_request':
    case 'cut_response':
      return { kind, fraction: hashToUnit(seed, healthyNumber) };
    case 'delay_request':
    case 'delay_response':
      return { kind, delayMs: options.delayMs };
  }
}

/**
 * The proxy's decision for each request, in arrival order: the episode's fault, or the next one
 * dealt to requests between episodes. The one piece of state is that count.
 */
export function createFaultDecider(plan: FaultPlan): (elapsedMs: number) => RequestFault {
  let healthyCount = 0;
  return (elapsedMs) => episodeFault(plan, elapsedMs) ?? requestFault(plan, ++healthyCount);
}

/** A copy of `items` in a random order (Fisher–Yates). */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
