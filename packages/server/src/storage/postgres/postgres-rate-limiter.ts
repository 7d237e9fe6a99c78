import { type RateLimiter, type RateLimitSettings, rateDecision, rateWindow } from '../../ingest/rate-limit.js';
import type { PostgresPool } from './postgres-pool.js';

/**
 * The ingest rate limit shared by every server on one database: each request counts in the row of
 * its key and window, in one statement, so N servers allow the limit once, not N times. A refused
 * request is counted too (the row goes past the limit; the answer is the same). A key's first
 * request in a window removes its older windows: one row per active key stays.
 */
export function createPostgresRateLimiter(
  pool: PostgresPool,
  settings: RateLimitSettings,
  now: () => number,
): RateLimiter {
  return {
    async take(key) {
      const time = now();
      const { start } = rateWindow(time, settings.windowMs);
      const { rows } = await pool.query<{ count: number }>(
        `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
         RETURNING count`,
        [key, start],
      );
      const count = rows[0]?.count ?? 1;
      if (count === 1) await pool.query('DELETE FROM rate_windows WHERE key = $1 AND window_start < $2', [key, start]);
      return rateDecision(count, settings, time);
    },
  };
}
