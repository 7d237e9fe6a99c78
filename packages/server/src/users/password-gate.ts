/**
 * At most `maxRunning` password checks at once, and `maxWaiting` queued behind them; past that a
 * check is refused (`busy`) at once. Each scrypt check takes 32 MiB and a thread of libuv's pool of
 * four, which inflating gzip bodies (ingest) shares: a flood of logins, which needs no account,
 * must not take all four or gigabytes.
 */
export const busy = Symbol('busy');

export interface PasswordGate {
  run<T>(check: () => Promise<T>): Promise<T | typeof busy>;
}

export interface PasswordGateLimits {
  readonly maxRunning: number;
  readonly maxWaiting: number;
}

export const defaultPasswordGate: PasswordGateLimits = { maxRunning: 2, maxWaiting: 32 };

export function createPasswordGate(limits: PasswordGateLimits = defaultPasswordGate): PasswordGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return {
    async run(check) {
      if (running >= limits.maxRunning) {
        if (waiting.length >= limits.maxWaiting) return busy;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      running += 1;
      try {
        return await check();
      } finally {
        next();
      }
    },
  };
}
