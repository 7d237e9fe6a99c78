/**
 * pnpm bench:pg-feed — what ordering the change feed by commit costs on PostgreSQL (issue #21).
 * Each write is one transaction: an INSERT of a 20-event batch into a table standing for events,
 * then its 20 changes appended as the feed appends them (storage/postgres/postgres-change-feed.ts),
 * then COMMIT (synchronous_commit on). A: the feed's way, under the advisory lock held to commit
 * (seq order = commit order); B, the reference: the same statements without the lock (what a
 * feed that let readers skip would cost). WRITERS concurrent connections (default 1, 4 and 8), each
 * for SECONDS (default 8) per run; A and B alternate, three rounds. Prints commits/s and p99 per
 * commit, and A ÷ B with the worst round. Needs the PostgreSQL of scripts/ensure-postgres.sh.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { migratePostgres } from '../src/storage/postgres/migrate.js';
import { appendChanges } from '../src/storage/postgres/postgres-change-feed.js';
import { createPostgresPool, type PostgresPool } from '../src/storage/postgres/postgres-pool.js';

const url = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgres://weft:weft@127.0.0.1:5432/weft_test';
const seconds = Number(process.env.SECONDS ?? 8);
const writerCounts = (process.env.WRITERS ?? '1,4,8').split(',').map(Number);
const rounds = 3;
const log = (line: string) => console.log(line);

/** The feed's own statement (postgres-change-feed.ts) without its lock: the reference. */
async function appendWithoutLock(client: pg.PoolClient, contactId: string, at: number) {
  const list = (value: unknown) => Array.from({ length: 20 }, () => value);
  await client.query(
    `WITH inserted AS (
       INSERT INTO changes (type, profile_id, contact_id, at, data)
       SELECT type, profile_id, contact_id, $1, data
       FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) AS row (type, profile_id, contact_id, data)
       RETURNING seq)
     SELECT seq, pg_notify('weft_changes_' || current_schema(), '') FROM inserted ORDER BY seq`,
    [at, list('event.stored'), list(null), list(contactId), list('{"n":1}')],
  );
}

async function run(pool: PostgresPool, writers: number, isLocked: boolean) {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          const started = performance.now();
          await client.query('BEGIN');
          await client.query(
            'INSERT INTO bench_events (body) SELECT repeat(md5(random()::text), 8) FROM generate_series(1, 20)',
          );
          const contactId = `ct_${writer}`;
          if (isLocked) {
            await appendChanges(
              client,
              Array.from({ length: 20 }, () => ({
                type: 'event.stored' as const,
                profileId: null,
                contactId,
                data: { n: 1 },
              })),
              Date.now(),
            );
          } else {
            await appendWithoutLock(client, contactId, Date.now());
          }
          await client.query('COMMIT');
          latencies.push(performance.now() - started);
        }
      } finally {
        client.release();
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    commitsPerSecond: latencies.length / seconds,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
  };
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = createPostgresPool(url, { max: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
const pool = createPostgresPool(url, { schema, max: Math.max(...writerCounts) + 1 });
try {
  await migratePostgres(pool);
  await pool.query('CREATE TABLE bench_events (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)');
  const { rows } = await pool.query<{ setting: string }>(
    "SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'",
  );
  log(`synchronous_commit=${rows[0]?.setting}; ${seconds} s per run; 20 events and 20 changes per commit`);
  log('');
  log('| writers | round | A: feed lock, commits/s (p99 ms) | B: no lock, commits/s (p99 ms) | A ÷ B |');
  log('| ---: | ---: | ---: | ---: | ---: |');
  for (const writers of writerCounts) {
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? [true, false] : [false, true];
      const results = new Map<boolean, Awaited<ReturnType<typeof run>>>();
      for (const isLocked of order) results.set(isLocked, await run(pool, writers, isLocked));
      const a = results.get(true);
      const b = results.get(false);
      if (!a || !b) throw new Error('a run is missing');
      const ratio = a.commitsPerSecond / b.commitsPerSecond;
      ratios.push(ratio);
      log(
        `| ${writers} | ${round} | ${Math.round(a.commitsPerSecond)} (${a.p99.toFixed(1)}) | ${Math.round(b.commitsPerSecond)} (${b.p99.toFixed(1)}) | **${ratio.toFixed(2)}** |`,
      );
    }
    const sorted = [...ratios].sort((x, y) => x - y);
    log(`| ${writers} | median, worst | | | ${sorted[1]?.toFixed(2)}, ${sorted[0]?.toFixed(2)} |`);
  }
} finally {
  await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
