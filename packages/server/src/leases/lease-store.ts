/**
 * Leases on named pieces of background work (an import, an audience backfill, a sweep): with several
 * servers on one database, one holds a piece at a time, and another takes it over once the holder
 * has stopped renewing it (a server killed mid-import). With one server it always gets its own.
 */

export interface Lease {
  readonly name: string;
  /** Who holds it: a server's id (random per process). */
  readonly holder: string;
  /** Epoch ms: past this, another holder may take it. */
  readonly expiresAt: number;
}

export interface LeaseStore {
  /**
   * Takes `name` for `holder` until `now + ttlMs`, or renews it when `holder` already has it;
   * undefined while another holder's lease is unexpired. One statement: two servers asking at once
   * cannot both get it.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Lets it go, if `holder` has it: the next acquire by anyone succeeds at once. */
  release(name: string, holder: string): Promise<boolean>;
}
