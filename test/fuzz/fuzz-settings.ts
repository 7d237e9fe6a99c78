import type fc from 'fast-check';

/**
 * One seed for every property, so a CI failure replays the same cases locally; WEFT_FUZZ_SEED
 * explores others. WEFT_FUZZ_RUNS sets the runs of each property: the CI default keeps the whole
 * fuzz suite near 30 s on a 2-core machine, `pnpm fuzz` asks for 20,000.
 */
export const fuzzSeed = Number(process.env.WEFT_FUZZ_SEED ?? 20_261_129);

export function fuzzRuns(ciDefault: number): number {
  const asked = Number(process.env.WEFT_FUZZ_RUNS);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : ciDefault;
}

export function fuzzParameters(ciDefault: number): fc.Parameters<unknown> {
  return { seed: fuzzSeed, numRuns: fuzzRuns(ciDefault), endOnFailure: false };
}

/** A test's time limit for `runs` cases: generous, as the machine is shared and a case takes ms. */
export function fuzzTimeoutMs(ciDefault: number): number {
  return 60_000 + fuzzRuns(ciDefault) * 200;
}

/** Counts the cases each property tried (shrinking included), for the line printed after the suite. */
export interface CaseTally {
  count(property: string): void;
  readonly total: number;
  report(suite: string): string;
}

export function createCaseTally(): CaseTally {
  const counts = new Map<string, number>();
  return {
    count(property) {
      counts.set(property, (counts.get(property) ?? 0) + 1);
    },
    get total() {
      return [...counts.values()].reduce((sum, n) => sum + n, 0);
    },
    report(suite) {
      const lines = [...counts].map(([property, n]) => `  ${n.toLocaleString('en')}  ${property}`);
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      return `${suite}: ${total.toLocaleString('en')} cases tried (seed ${fuzzSeed})\n${lines.join('\n')}`;
    },
  };
}
