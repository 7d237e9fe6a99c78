export interface RateLimitSettings {
  /** Requests allowed per write key in each window. */
  readonly limit: number;
  readonly windowMs: number;
}

export type RateDecision =
  | { readonly allowed: true; readonly remaining: number; readonly resetAt: number }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly resetAt: number };

export interface RateLimiter {
  /** Counts a request of `key` in the current window (in-process, or shared by every server). */
  take(key: string): Promise<RateDecision>;
}

/** The fixed window `time` falls in: aligned on the clock, the same for every client and server. */
export function rateWindow(time: number, windowMs: number): { readonly start: number; readonly resetAt: number } {
  const start = time - (time % windowMs);
  return { start, resetAt: start + windowMs };
}

/** The answer for a request that is the `count`-th of its key in the window (itself counted). */
export function rateDecision(count: number, settings: RateLimitSettings, time: number): RateDecision {
  const { resetAt } = rateWindow(time, settings.windowMs);
  if (count > settings.limit) return { allowed: false, retryAfterMs: resetAt - time, resetAt };
  return { allowed: true, remaining: settings.limit - count, resetAt };
}

/**
 * Fixed windows aligned on the clock, per write key, in this process: cheap, and the reset time is
 * the same for every client, which makes `X-RateLimit-Reset` exact. Several servers share one
 * limit through the database instead (storage/postgres/postgres-rate-limiter.ts).
 */
export function createRateLimiter(settings: RateLimitSettings, now: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async take(key) {
      const time = now();
      const { start } = rateWindow(time, settings.windowMs);
      let window = windows.get(key);
      if (!window || window.start !== start) {
        if (windows.size > 10_000) windows.clear();
        window = { start, count: 0 };
        windows.set(key, window);
      }
      // A refused request is not counted: the window's count stays at the limit.
      const decision = rateDecision(window.count + 1, settings, time);
      if (decision.allowed) window.count += 1;
      return decision;
    },
  };
}
