import { afterEach, describe, expect, it, vi } from 'vitest';
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
