import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LeaseStore } from '../leases/lease-store.js';
import { migrate } from '../storage/sqlite/migrate.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteLeaseStore } from '../storage/sqlite/sqlite-lease-store.js';
import { answeredAsync } from '../storage/sqlite/synchronous.js';
import type { AudienceStore } from './audience-store.js';
import { startAudienceWorker } from './audience-worker.js';

/** A store whose sweeps and due times the test controls: only what the worker calls. */
function fakeStore(nextDue: () => number | null) {
  const sweeps: number[] = [];
  const store = {
    sweepStep: async () => {
      sweeps.push(Date.now());
      return 0;
    },
    nextDueAt: async () => nextDue(),
    backfillStep: async () => false,
  } as unknown as AudienceStore;
  return { store, sweeps };
}

describe('the audience worker', () => {
  afterEach(() => vi.useRealTimers());

  it('sweeps as soon as the earliest contact falls due, not at the next period', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { store, sweeps } = fakeStore(() => 1_000_000 + 1_200);
    const worker = startAudienceWorker({ audiences: store, sweepEveryMs: 30_000, now: Date.now });
    await vi.advanceTimersByTimeAsync(1_199);
    expect(sweeps).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sweeps).toEqual([1_001_200]);
    worker.stop();
  });

  it('waits the whole period when nothing is due, and at least the minimum gap when much is', async () => {
    vi.useFakeTimers({ now: 0 });
    let due: number | null = null;
    const { store, sweeps } = fakeStore(() => due);
    const worker = startAudienceWorker({ audiences: store, sweepEveryMs: 30_000, minSweepGapMs: 250, now: Date.now });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(sweeps).toEqual([]);
    due = 0;
    await vi.advanceTimersByTimeAsync(1);
    expect(sweeps).toEqual([30_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sweeps).toEqual([30_000, 30_250, 30_500, 30_750, 31_000]);
    worker.stop();
  });
});

describe('the audience worker on several servers', () => {
  afterEach(() => vi.useRealTimers());

  /** A lease store on an in-memory database, on the (fake) clock. */
  function sharedLeases(): LeaseStore {
    const db = openDatabase(':memory:');
    migrate(db);
    return answeredAsync(createSqliteLeaseStore(db, Date.now));
  }

  it('sweeps on one server only, and on another once the first is stopped or its lease runs out', async () => {
    vi.useFakeTimers({ now: 0 });
    const leases = sharedLeases();
    // Server a is killed, not stopped: it never lets its lease go.
    const killedLeases: LeaseStore = { acquire: leases.acquire, release: async () => false };
    const a = fakeStore(() => null);
    const b = fakeStore(() => null);
    const options = { sweepEveryMs: 30_000, now: Date.now };
    const first = startAudienceWorker({ ...options, audiences: a.store, leases: { store: killedLeases, holder: 'a' } });
    const second = startAudienceWorker({ ...options, audiences: b.store, leases: { store: leases, holder: 'b' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.sweeps).toEqual([30_000, 60_000]);
    expect(b.sweeps).toEqual([]);
    first.stop();
    // a's lease, renewed at 60 s, runs out at 60 + 2 × 30 + 10 s = 130 s; b's next sweep after that is at 150 s.
    await vi.advanceTimersByTimeAsync(100_000);
    expect(b.sweeps).toEqual([150_000]);
    // A clean stop hands over at the other's next sweep.
    const third = startAudienceWorker({ ...options, audiences: a.store, leases: { store: leases, holder: 'c' } });
    second.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(a.sweeps.at(-1)).toBe(190_000);
    third.stop();
  });

  it('backfills on one server at a time, and lets the lease go when done', async () => {
    vi.useFakeTimers({ now: 0 });
    const leases = sharedLeases();
    // One backfill of six steps in the database, whichever server takes them.
    let remaining = 6;
    const steps: string[] = [];
    const backfilling = (name: string) =>
      ({
        sweepStep: async () => 0,
        nextDueAt: async () => null,
        backfillStep: async () => {
          if (remaining === 0) return false;
          remaining--;
          steps.push(name);
          return remaining > 0;
        },
      }) as unknown as AudienceStore;
    const options = { sweepEveryMs: 30_000, now: Date.now };
    const a = startAudienceWorker({ ...options, audiences: backfilling('a'), leases: { store: leases, holder: 'a' } });
    const b = startAudienceWorker({ ...options, audiences: backfilling('b'), leases: { store: leases, holder: 'b' } });
    await vi.advanceTimersByTimeAsync(100);
    expect(steps).toEqual(['a', 'a', 'a', 'a', 'a', 'a']);
    // Released when done: a definition changed later is backfilled by whichever server is told.
    remaining = 2;
    b.kick();
    await vi.advanceTimersByTimeAsync(100);
    expect(steps.slice(6)).toEqual(['b', 'b']);
    a.stop();
    b.stop();
  });

  it('takes over a backfill whose server was killed once its lease runs out, unasked', async () => {
    vi.useFakeTimers({ now: 0 });
    const leases = sharedLeases();
    let remaining = 6;
    const steps: string[] = [];
    const backfilling = (name: string, stopAfter: number) =>
      ({
        sweepStep: async () => 0,
        nextDueAt: async () => null,
        backfillStep: async () => {
          if (remaining === 0) return false;
          // The killed server's last step: it stops mid-backfill, its lease held.
          if (steps.length === stopAfter) return new Promise<boolean>(() => undefined);
          remaining--;
          steps.push(name);
          return remaining > 0;
        },
      }) as unknown as AudienceStore;
    const options = { sweepEveryMs: 30_000, now: Date.now };
    const killedLeases: LeaseStore = { acquire: leases.acquire, release: async () => false };
    const a = startAudienceWorker({
      ...options,
      audiences: backfilling('a', 2),
      leases: { store: killedLeases, holder: 'a', ttlMs: 5_000 },
    });
    await vi.advanceTimersByTimeAsync(100);
    // Another server starts meanwhile (or was running): nothing tells it a backfill is left.
    const b = startAudienceWorker({
      ...options,
      audiences: backfilling('b', -1),
      leases: { store: leases, holder: 'b', ttlMs: 5_000 },
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(steps).toEqual(['a', 'a']);
    // a's lease (twice the TTL) runs out at 10 s; b goes on by itself soon after.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(steps).toEqual(['a', 'a', 'b', 'b', 'b', 'b']);
    a.stop();
    b.stop();
  });
});
