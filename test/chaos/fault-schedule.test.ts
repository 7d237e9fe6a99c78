import { describe, expect, it } from 'vitest';
import {
  createFaultDecider,
  episodeAt,
  episodeFault,
  type FaultPlanOptions,
  planFaults,
  requestFault,
} from './fault-schedule.js';
import { createSeededRandom, hashToUnit } from './seeded-random.js';

const options: FaultPlanOptions = {
  durationMs: 120_000,
  warmupMs: 3_000,
  gapMs: [2_000, 6_000],
  episodeMs: [500, 2_000],
  killReserveMs: 4_000,
  episodeDeck: ['status_500', 'status_503', 'status_429', 'outage', 'server_kill', 'server_kill'],
  requestFaults: { cut_request: 2, cut_response: 3, delay_request: 1, delay_response: 2 },
  requestFaultBlock: 50,
  delayMs: 2_500,
  retryAfterSeconds: 1,
};

describe('seeded randomness', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createSeededRandom(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const value of draw(9)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('hashes its inputs to a number in [0, 1) that depends on each of them', () => {
    expect(hashToUnit(1, 2, 3)).toBe(hashToUnit(1, 2, 3));
    expect(hashToUnit(1, 2, 3)).not.toBe(hashToUnit(1, 3, 2));
    expect(hashToUnit(1, 2)).not.toBe(hashToUnit(2, 2));
    const values = Array.from({ length: 10_000 }, (_, i) => hashToUnit(42, i));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    // Roughly uniform: each tenth of the range gets about a tenth of the draws.
    for (let decile = 0; decile < 10; decile++) {
      const share = values.filter((value) => Math.floor(value * 10) === decile).length / values.length;
      expect(share).toBeGreaterThan(0.08);
      expect(share).toBeLessThan(0.12);
    }
  });
});

describe('planFaults', () => {
  it('plans the same episodes for the same seed, and others for another', () => {
    expect(planFaults(11, options)).toEqual(planFaults(11, options));
    expect(planFaults(11, options).episodes).not.toEqual(planFaults(12, options).episodes);
  });

  it('keeps episodes apart, after the warm-up, within their lengths and before the end', () => {
    const { episodes } = planFaults(5, options);
    expect(episodes.length).toBeGreaterThan(10);
    let previousEnd = options.warmupMs;
    for (const episode of episodes) {
      const gap = episode.startMs - previousEnd;
      expect(gap).toBeGreaterThanOrEqual(options.gapMs[0] - 1);
      expect(gap).toBeLessThanOrEqual(options.gapMs[1] + 1);
      const length = episode.endMs - episode.startMs;
      if (episode.kind === 'server_kill') expect(length).toBe(options.killReserveMs);
      else {
        expect(length).toBeGreaterThanOrEqual(options.episodeMs[0] - 1);
        expect(length).toBeLessThanOrEqual(options.episodeMs[1] + 1);
      }
      expect(episode.endMs).toBeLessThanOrEqual(options.durationMs);
      previousEnd = episode.endMs;
    }
  });

  it('deals the whole deck each round, in a shuffled order, and nothing that is not in it', () => {
    const { episodes } = planFaults(3, { ...options, durationMs: 600_000 });
    const deck = [...options.episodeDeck].sort();
    const rounds: string[][] = [];
    for (let i = 0; i + deck.length <= episodes.length; i += deck.length) {
      rounds.push(episodes.slice(i, i + deck.length).map((episode) => episode.kind));
    }
    expect(rounds.length).toBeGreaterThan(5);
    for (const round of rounds) expect([...round].sort()).toEqual(deck);
    expect(new Set(rounds.map((round) => round.join())).size).toBeGreaterThan(1);
    const noKills = planFaults(3, { ...options, episodeDeck: ['outage', 'status_503'] });
    expect(new Set(noKills.episodes.map((episode) => episode.kind))).toEqual(new Set(['outage', 'status_503']));
  });
});

describe('the faults a request meets', () => {
  const plan = planFaults(21, options);
  const firstOf = (kind: string) => {
    const episode = plan.episodes.find((candidate) => candidate.kind === kind);
    if (!episode) throw new Error(`seed 21 planned no ${kind}`);
    return episode;
  };

  it('during a status episode, its status, with Retry-After for 503 and 429', () => {
    const at = (kind: string) => firstOf(kind).startMs + 1;
    expect(episodeFault(plan, at('status_500'))).toEqual({ kind: 'status_500', status: 500 });
    expect(episodeFault(plan, at('status_503'))).toEqual({ kind: 'status_503', status: 503, retryAfterSeconds: 1 });
    expect(episodeFault(plan, at('status_429'))).toEqual({ kind: 'status_429', status: 429, retryAfterSeconds: 1 });
    expect(episodeFault(plan, at('outage'))).toEqual({ kind: 'outage' });
  });

  it('none while a killed server restarts (its absence is the fault), and none once the run is over', () => {
    const kill = firstOf('server_kill');
    expect(episodeFault(plan, kill.startMs + 1)).toEqual({ kind: 'none' });
    expect(episodeAt(plan, kill.endMs - 1)).toBe(kill);
    expect(episodeAt(plan, kill.endMs)).not.toBe(kill);
    expect(episodeFault(plan, options.durationMs)).toEqual({ kind: 'none' });
    expect(episodeFault(plan, options.warmupMs - 1)).toBeUndefined();
  });

  it('between episodes, exactly the planned number of each fault in every block, in a shuffled order', () => {
    const blocks = Array.from({ length: 20 }, (_, block) =>
      Array.from({ length: 50 }, (_, i) => requestFault(plan, block * 50 + i + 1)),
    );
    for (const block of blocks) {
      const counts = new Map<string, number>();
      for (const fault of block) counts.set(fault.kind, (counts.get(fault.kind) ?? 0) + 1);
      expect(Object.fromEntries(counts)).toEqual({ ...options.requestFaults, none: 42 });
    }
    const positions = (block: (typeof blocks)[number]) => block.map((fault) => fault.kind).join();
    expect(new Set(blocks.map(positions)).size).toBe(blocks.length);
    expect(requestFault(plan, 77)).toEqual(requestFault(plan, 77));
  });

  it('gives delays their planned length and cuts a point strictly inside the message', () => {
    for (let n = 1; n <= 500; n++) {
      const fault = requestFault(plan, n);
      if (fault.kind === 'delay_request' || fault.kind === 'delay_response') expect(fault.delayMs).toBe(2_500);
      if (fault.kind === 'cut_request' || fault.kind === 'cut_response') {
        expect(fault.fraction).toBeGreaterThanOrEqual(0);
        expect(fault.fraction).toBeLessThan(1);
      }
    }
  });

  it('deals request faults only to requests between episodes, so episodes mask none of them', () => {
    const decide = createFaultDecider(plan);
    const status = firstOf('status_500').startMs + 1;
    const healthy = options.warmupMs - 1;
    const seen = [decide(healthy), decide(status), decide(status), decide(healthy), decide(healthy)];
    expect(seen[1]).toEqual({ kind: 'status_500', status: 500 });
    expect([seen[0], seen[3], seen[4]]).toEqual([1, 2, 3].map((n) => requestFault(plan, n)));
  });

  it('rejects a block too small for its faults', () => {
    const crowded = planFaults(1, { ...options, requestFaultBlock: 4 });
    expect(() => requestFault(crowded, 1)).toThrow(RangeError);
  });
});
