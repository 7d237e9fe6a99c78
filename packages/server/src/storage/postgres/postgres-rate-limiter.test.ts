import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresPool } from './postgres-pool.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';

const opened: TestSchema[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

describe('the ingest rate limit on PostgreSQL', () => {
  it('allows the limit once across two servers, not once per server, and starts again each window', async () => {
    const database = await openTestSchema();
    opened.push(database);
    const otherServer = createPostgresPool(testPostgresUrl, { schema: database.schema, max: 2 });
    const clock = { time: 60_500 };
    const settings = { limit: 5, windowMs: 60_000 };
    const servers = [
      createPostgresRateLimiter(database.pool, settings, () => clock.time),
      createPostgresRateLimiter(otherServer, settings, () => clock.time),
    ];
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => servers[n % 2]?.take('wk_1')));
      expect(answers.filter((answer) => answer?.allowed)).toHaveLength(5);
      expect(answers.find((answer) => answer && !answer.allowed)).toEqual({
        allowed: false,
        retryAfterMs: 59_500,
        resetAt: 120_000,
      });
      expect((await servers[1]?.take('wk_2'))?.allowed).toBe(true);
      clock.time = 120_000;
      expect(await servers[0]?.take('wk_1')).toEqual({ allowed: true, remaining: 4, resetAt: 180_000 });
      const { rows } = await database.pool.query<{ count: number }>(
        "SELECT count(*)::bigint AS count FROM rate_windows WHERE key = 'wk_1'",
      );
      expect(rows[0]?.count).toBe(1);
    } finally {
      await otherServer.end();
    }
  });
});
