import { describe, expect, it } from 'vitest';
import type { EventStore, InsertOutcome } from '../storage/event-store.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { trackEvent as event, eventStoreWith } from '../testing/event-store-kit.js';
import { createGroupCommitWriter } from './group-commit-writer.js';

/** A real SQLite store that records the size of each transaction it is asked to run. */
function recordingStore() {
  const inner = eventStoreWith(openDatabase(':memory:'));
  const transactions: number[] = [];
  const store: EventStore = {
    ...inner,
    insertEvents(events) {
      transactions.push(events.length);
      return inner.insertEvents(events);
    },
  };
  return { store, transactions };
}

describe('group commit writer', () => {
  it('commits the writes of one event-loop turn in a single transaction', async () => {
    const { store, transactions } = recordingStore();
    const writer = createGroupCommitWriter(store);
    const results = await Promise.all([
      writer.write([event('a'), event('b')]),
      writer.write([event('c')]),
      writer.write([event('a'), event('d')]),
    ]);
    expect(transactions).toEqual([5]);
    expect(results).toEqual([['inserted', 'inserted'], ['inserted'], ['duplicate', 'inserted']]);
    expect(writer.stats).toEqual({ commits: 1, events: 5 });
  });

  it('resolves no request before the commit that holds its events', async () => {
    const { store } = recordingStore();
    let runFlush: (() => void) | undefined;
    const writer = createGroupCommitWriter(store, { schedule: (flush) => (runFlush = flush) });
    let settled = false;
    const pending = writer.write([event('a')]).then((outcomes) => {
      settled = true;
      return outcomes;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    runFlush?.();
    expect(await pending).toEqual(['inserted']);
  });

  it('splits a group at maxGroupEvents without splitting a request', async () => {
    const { store, transactions } = recordingStore();
    const writer = createGroupCommitWriter(store, { maxGroupEvents: 3 });
    await Promise.all([
      writer.write([event('a'), event('b')]),
      writer.write([event('c'), event('d')]),
      writer.write([event('e')]),
    ]);
    expect(transactions).toEqual([2, 3]);
  });

  it('fails every request of a group whose commit fails, and keeps serving later ones', async () => {
    let fail = true;
    const { store: inner } = recordingStore();
    const store: EventStore = {
      ...inner,
      async insertEvents(events): Promise<InsertOutcome[]> {
        if (fail) throw new Error('disk full');
        return inner.insertEvents(events);
      },
    };
    const writer = createGroupCommitWriter(store);
    const failed = await Promise.allSettled([writer.write([event('a')]), writer.write([event('b')])]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await writer.write([event('a')])).toEqual(['inserted']);
  });

  it('starts a second commit while one is under way only when allowed more than one at once', async () => {
    for (const [maxConcurrentCommits, expected] of [
      [1, 1],
      [2, 2],
    ] as const) {
      const started: number[] = [];
      const finish: (() => void)[] = [];
      // A store whose commits finish when the test says.
      const store = {
        insertEvents: (events: readonly unknown[]) =>
          new Promise<InsertOutcome[]>((resolve) => {
            started.push(events.length);
            finish.push(() => resolve(events.map(() => 'inserted')));
          }),
      } as unknown as EventStore;
      const writer = createGroupCommitWriter(store, { maxConcurrentCommits });
      const first = writer.write([event('a')]);
      await new Promise((resolve) => setImmediate(resolve));
      const second = writer.write([event('b')]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(started.length, `at most ${maxConcurrentCommits}`).toBe(expected);
      while (finish.length > 0) {
        finish.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await Promise.all([first, second])).toEqual([['inserted'], ['inserted']]);
      expect(started).toEqual([1, 1]);
    }
  });
});
