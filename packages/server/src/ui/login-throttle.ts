/**
 * Failed logins counted per email and client address: past `maxFailures` within `windowMs` that pair
 * is refused until the window has passed, without a password check (each costs a scrypt hash). Per
 * pair, so that someone guessing from elsewhere cannot lock the real person out; behind a proxy every
 * client shares the proxy's address (docs/ui.md).
 */
export interface LoginThrottle {
  isLocked(email: string, address: string): boolean;
  recordFailure(email: string, address: string): void;
  recordSuccess(email: string, address: string): void;
}

export interface LoginThrottleLimits {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Pairs remembered at most: a flood of made-up emails cannot grow the map without end. */
  readonly maxTracked: number;
}

export const defaultLoginThrottle: LoginThrottleLimits = { maxFailures: 10, windowMs: 15 * 60_000, maxTracked: 10_000 };

export function createLoginThrottle(
  now: () => number,
  limits: LoginThrottleLimits = defaultLoginThrottle,
): LoginThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  const keyOf = (email: string, address: string) => `${email.trim().toLowerCase()}\n${address}`;
  const current = (key: string) => {
    const entry = failures.get(key);
    if (entry && now() - entry.since > limits.windowMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  /**
   * Past the bound, the oldest pair that is not locked goes (a Map keeps insertion order): a flood of
   * made-up emails cannot push out a pair that is locked. Only when every pair is locked does the
   * oldest go, which the password gate's pace (users/password-gate.ts) keeps out of reach in a window.
   */
  const evictOne = () => {
    for (const [key, entry] of failures) {
      if (entry.count < limits.maxFailures || now() - entry.since > limits.windowMs) {
        failures.delete(key);
        return;
      }
    }
    failures.delete(failures.keys().next().value as string);
  };
  return {
    isLocked: (email, address) => (current(keyOf(email, address))?.count ?? 0) >= limits.maxFailures,
    recordFailure(email, address) {
      const key = keyOf(email, address);
      const entry = current(key);
      if (entry) {
        entry.count += 1;
        return;
      }
      if (failures.size >= limits.maxTracked) evictOne();
      failures.set(key, { count: 1, since: now() });
    },
    recordSuccess: (email, address) => void failures.delete(keyOf(email, address)),
  };
}
