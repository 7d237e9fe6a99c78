// Seeded randomness for the chaos test: the same seed plans the same faults, so a failing run
// can be replayed. Not cryptographic; mulberry32 is small, fast and well distributed enough here.

/** A generator of uniform numbers in [0, 1), the same sequence for the same seed. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    return mix(state);
  };
}

/** A uniform number in [0, 1) that depends only on its inputs: randomness without state. */
export function hashToUnit(seed: number, ...values: number[]): number {
  let state = seed >>> 0;
  for (const value of values) state = (Math.imul(state ^ (value >>> 0), 0x9e3779b1) + 0x6d2b79f5) >>> 0;
  return mix(state);
}

function mix(input: number): number {
  let t = input;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
