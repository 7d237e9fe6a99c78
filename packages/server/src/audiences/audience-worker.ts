import type { LeaseStore } from '../leases/lease-store.js';
import type { AudienceStore } from './audience-store.js';

export interface AudienceWorkerOptions {
  readonly audiences: AudienceStore;
  /**
   * The longest wait between sweeps (WEFT_AUDIENCE_SWEEP_EVERY, 30 s by default): a sweep also runs
   * as soon as the earliest contact falls due, but never sooner than `minSweepGapMs` after the last.
   */
  readonly sweepEveryMs: number;
  readonly minSweepGapMs?: number;
  /** Epoch ms (the store's clock). */
  readonly now: () => number;
  /** Contacts one sweep step evaluates (one short transaction). */
  readonly sweepSlice?: number;
  /** Stored events one backfill step reads. */
  readonly backfillSlice?: number;
  readonly onError?: (error: unknown) => void;
  /**
   * Shares the work among servers on one database: a sweep or a backfill runs only on the server
   * holding its lease (leases/), so that N servers do it once. Absent: this process is the only one.
   */
  readonly leases?: { readonly store: LeaseStore; readonly holder: string; readonly ttlMs?: number } | undefined;
}

/** The leases' names: one sweeper and one backfill at a time across every server. */
export const sweepLease = 'audiences.sweep';
export const backfillLease = 'audiences.backfill';

export interface AudienceWorker {
  /** Starts a backfill run now, if none is running (a definition changed). */
  kick(): void;
  /** Runs one whole sweep now (tests and benchmarks). */
  sweepNow(): Promise<number>;
  stop(): void;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The background half of audiences: the sweeper, which evaluates contacts whose answers time alone
 * changes (a window edge), and the backfill of new definitions. Both work in small transactions
 * with a turn of the event loop between them, so ingest's commits interleave and never wait long.
 */
export function startAudienceWorker(options: AudienceWorkerOptions): AudienceWorker {
  const { audiences } = options;
  const sweepSlice = options.sweepSlice ?? 200;
  const backfillSlice = options.backfillSlice ?? 1_000;
  let isStopped = false;
  let backfilling: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const leases = options.leases;
  // The sweeper keeps its lease between sweeps (renewed at each), so one server goes on sweeping;
  // if it dies, another takes over once the lease has run out: two periods and a margin.
  const sweepTtlMs = 2 * options.sweepEveryMs + 10_000;
  // A backfill's holder renews at every step: twice the lease TTL (a minute by default) before another takes it.
  const backfillTtlMs = 2 * (leases?.ttlMs ?? 30_000);
  /** True when this server holds (or has just taken, or renewed) the lease; always without leases. */
  const holds = async (name: string, ttlMs: number) =>
    leases === undefined || (await leases.store.acquire(name, leases.holder, ttlMs)) !== undefined;

  async function sweepNow(): Promise<number> {
    let total = 0;
    for (;;) {
      if (!(await holds(sweepLease, sweepTtlMs))) return total;
      const evaluated = await audiences.sweepStep(sweepSlice);
      total += evaluated;
      if (evaluated < sweepSlice || isStopped) return total;
      await nextTurn();
    }
  }

  /**
   * Another server holds the backfill lease: it may be working, or dead with what is left undone.
   * Looked at again every half lease, until this server takes the lease or finds nothing left: a
   * crashed holder's backfill goes on soon after its lease runs out, with nobody asking.
   */
  let retryTimer: NodeJS.Timeout | undefined;

  async function backfill(): Promise<void> {
    // Another server's backfill reads the same definitions from the database, new ones included.
    for (;;) {
      if (isStopped) break;
      if (!(await holds(backfillLease, backfillTtlMs))) {
        retryTimer = setTimeout(kick, backfillTtlMs / 2);
        retryTimer.unref();
        return;
      }
      if (!(await audiences.backfillStep(backfillSlice))) break;
      await nextTurn();
    }
    // Done (or stopping): the next definition change may start at once on any server.
    if (leases) await leases.store.release(backfillLease, leases.holder);
  }

  function kick(): void {
    if (backfilling || isStopped) return;
    backfilling = backfill()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        backfilling = undefined;
      });
  }

  const minGapMs = options.minSweepGapMs ?? 250;
  /** Waits until the earliest due contact (within [minGapMs, sweepEveryMs]), sweeps, and again. */
  async function schedule(): Promise<void> {
    if (isStopped) return;
    let waitMs = options.sweepEveryMs;
    try {
      const next = await audiences.nextDueAt();
      if (next !== null) waitMs = Math.min(waitMs, Math.max(minGapMs, next - options.now()));
    } catch (error) {
      options.onError?.(error);
    }
    if (isStopped) return;
    timer = setTimeout(() => {
      sweepNow().then(schedule, (error: unknown) => {
        options.onError?.(error);
        void schedule();
      });
    }, waitMs);
    timer.unref();
  }
  void schedule();
  // A backfill cut short by a restart goes on where it stopped.
  kick();
  return {
    kick,
    sweepNow,
    stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
      // A clean stop hands the sweep over at once; a killed server's lease runs out instead.
      if (leases) void leases.store.release(sweepLease, leases.holder).catch(() => undefined);
    },
  };
}
