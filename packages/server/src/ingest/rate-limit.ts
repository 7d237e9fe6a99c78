export interface RateLimitSettings {
  /** Requests allowed per write key in each window. */
  readonly limit: number;
  readonly windowMs: number;
}

export type RateDecision =
  | { readonly allowed: true; readonly remaining: number; readonly resetAt: number }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly resetAt: number };

export interface RateLimiter {
  take(key: string): RateDecision;
}

/**
 * Fixed windows aligned on the clock, per write key: cheap, and the reset time is the same for
 * every client, which makes `X-RateLimit-Reset` exact.
 */
export function createRateLimiter(settings: RateLimitSettings, now: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const time = now();
      const start = time - (time % settings.windowMs);
      const resetAt = start + settings.windowMs;
      let window = windows.get(key);
      if (!window || window.start !== start) {
        if (windows.size > 10_000) windows.clear();
        window = { start, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= settings.limit) return { allowed: false, retryAfterMs: resetAt - time, resetAt };
      window.count += 1;
      return { allowed: true, remaining: settings.limit - window.count, resetAt };
    },
  };
}
