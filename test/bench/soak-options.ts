/** How long and how hard `pnpm bench:soak` pushes: flags first, then WEFT_SOAK_* variables, then defaults. */
export interface SoakOptions {
  readonly minutes: number;
  /** Events per second sent, whatever the answers' pace (open loop), in batches of `batchSize`. */
  readonly eventsPerSecond: number;
  readonly batchSize: number;
  /** Contact reads per second: get by ref, list, search. */
  readonly readsPerSecond: number;
  /** People browsing at once; each leaves after a few events and a new one arrives. */
  readonly activeUsers: number;
  readonly intervalSeconds: number;
}

export const soakDefaults: SoakOptions = {
  minutes: 10,
  eventsPerSecond: 500,
  batchSize: 20,
  readsPerSecond: 20,
  activeUsers: 2_000,
  intervalSeconds: 30,
};

const flags: Record<string, keyof SoakOptions> = {
  '--minutes': 'minutes',
  '--rate': 'eventsPerSecond',
  '--batch': 'batchSize',
  '--reads': 'readsPerSecond',
  '--users': 'activeUsers',
  '--interval': 'intervalSeconds',
};

const variables: Record<string, keyof SoakOptions> = {
  WEFT_SOAK_MINUTES: 'minutes',
  WEFT_SOAK_RATE: 'eventsPerSecond',
  WEFT_SOAK_READS: 'readsPerSecond',
  WEFT_SOAK_INTERVAL: 'intervalSeconds',
};

export function readSoakOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): SoakOptions | { error: string } {
  const chosen: Partial<Record<keyof SoakOptions, number>> = {};
  for (const [name, key] of Object.entries(variables)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const number = Number(value);
    if (!(number > 0)) return { error: `${name} must be a positive number, not "${value}"` };
    chosen[key] = number;
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined];
    const key = flags[flag];
    if (!key) return { error: `unknown option ${flag}; known: ${Object.keys(flags).join(', ')}` };
    const value = inline ?? argv[++i];
    const number = Number(value);
    if (value === undefined || !(number > 0)) return { error: `${flag} needs a positive number` };
    chosen[key] = number;
  }
  const options = { ...soakDefaults, ...chosen };
  // A 2-minute run still gets several intervals to compare.
  if (chosen.intervalSeconds === undefined) {
    options.intervalSeconds = Math.min(soakDefaults.intervalSeconds, Math.max(5, (options.minutes * 60) / 8));
  }
  return options;
}
