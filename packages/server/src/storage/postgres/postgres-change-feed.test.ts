import { afterEach, describe, expect, it } from 'vitest';
import type { NewChange } from '../../changes/change.js';
import { appendChanges, createPostgresChangeFeed, type PostgresChangeFeed } from './postgres-change-feed.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';

const opened: { database: TestSchema; feed: PostgresChangeFeed }[] = [];
afterEach(async () => {
  for (const { database, feed } of opened.splice(0)) {
    await feed.close();
    await database.close();
  }
});

async function openFeed() {
  const database = await openTestSchema();
  const feed = createPostgresChangeFeed(database.pool, {
    url: testPostgresUrl,
    schema: database.schema,
    now: Date.now,
  });
  opened.push({ database, feed });
  return { database, feed };
}

const change = (contactId: string, n: number): NewChange => ({
  type: 'contact.updated',
  profileId: null,
  contactId,
  data: { n },
});

/** A write's transaction on a connection of its own, left open until `commit` or `rollback`. */
async function begin(database: TestSchema) {
  const client = await database.pool.connect();
  await client.query('BEGIN');
  return {
    append: (changes: NewChange[]) => appendChanges(client, changes, Date.now()),
    async commit() {
      await client.query('COMMIT');
      client.release();
    },
    async rollback() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

describe('the change feed on PostgreSQL', () => {
  it('never lets a reader pass a change that commits later with a smaller seq', async () => {
    const { database, feed } = await openFeed();
    const first = await begin(database);
    await first.append([change('ct_a', 1)]);
    // A second write appends while the first is still open: it waits for the feed's lock.
    const second = await begin(database);
    const secondDone = second
      .append([change('ct_a', 2), change('ct_b', 3), change('ct_a', 4)])
      .then(() => second.commit());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = await feed.read({ after: 0, limit: 10 });
    expect(seen).toEqual([]);
    await first.commit();
    await secondDone;
    let after = 0;
    const read: number[] = [];
    for (const item of await feed.read({ after, limit: 10 })) {
      read.push(JSON.parse(item.data).n);
      after = item.seq;
    }
    // In commit order, each write's changes in the order it gave them; nothing skipped.
    expect(read).toEqual([1, 2, 3, 4]);
  });

  it('hands every committed change to a reader polling during concurrent writes, once and in commit order', async () => {
    const { database, feed } = await openFeed();
    const committedOrder: number[] = [];
    // When each write sent its COMMIT and when the answer came: a write answered before another
    // sent its COMMIT committed first, whatever order two overlapping answers arrive in.
    const commits: { n: number; sent: number; done: number }[] = [];
    const writers = Array.from({ length: 6 }, async (_, writer) => {
      for (let round = 0; round < 5; round++) {
        const write = await begin(database);
        const n = writer * 100 + round;
        await write.append([change(`ct_${writer}`, n), change('ct_shared', n)]);
        if (n % 7 === 3) {
          await write.rollback();
          continue;
        }
        const sent = performance.now();
        await write.commit();
        commits.push({ n, sent, done: performance.now() });
        committedOrder.push(n);
      }
    });
    const read: { n: number; contactId: string | null }[] = [];
    let after = 0;
    let isDone = false;
    const reader = (async () => {
      while (!isDone || read.length < committedOrder.length * 2) {
        for (const item of await feed.read({ after, limit: 7 })) {
          read.push({ n: JSON.parse(item.data).n, contactId: item.contactId });
          after = item.seq;
        }
      }
    })();
    await Promise.all(writers);
    isDone = true;
    await reader;
    const shared = read.filter((item) => item.contactId === 'ct_shared').map((item) => item.n);
    // Every committed write's changes, once; none of a rolled-back one.
    expect([...shared].sort((a, b) => a - b)).toEqual([...committedOrder].sort((a, b) => a - b));
    expect(read).toHaveLength(committedOrder.length * 2);
    // In commit order: of two writes, the one answered before the other sent its COMMIT comes first.
    const position = new Map(shared.map((n, index) => [n, index]));
    for (const first of commits) {
      for (const second of commits) {
        if (first.done < second.sent)
          expect(position.get(first.n), `${first.n} before ${second.n}`).toBeLessThan(position.get(second.n) as number);
      }
    }
    // And what the reader took while the writes went on is the feed as it stands after them.
    const settled = await feed.read({ after: 0, limit: 1_000 });
    expect(read).toEqual(settled.map((item) => ({ n: JSON.parse(item.data).n, contactId: item.contactId })));
  });

  it('wakes the listeners of every server after a commit that recorded changes, not after a rollback', async () => {
    const { database, feed } = await openFeed();
    // Another server: its own pool and listening connection, on the same schema.
    const other = createPostgresChangeFeed(database.pool, {
      url: testPostgresUrl,
      schema: database.schema,
      now: Date.now,
    });
    let calls = 0;
    const stop = other.onCommit(() => calls++);
    feed.onCommit(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rolledBack = await begin(database);
    await rolledBack.append([change('ct_a', 1)]);
    await rolledBack.rollback();
    const write = await begin(database);
    await write.append([change('ct_a', 2)]);
    await write.commit();
    for (let tries = 0; tries < 100 && calls === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    expect(await feed.head()).toBe((await feed.read({ after: 0, limit: 10 })).at(-1)?.seq);
    stop();
    await other.close();
  });
});
