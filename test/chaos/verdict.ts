// The chaos test's verdict, a pure comparison of what the apps were told with what the server
// holds. Every accepted event must be stored exactly once and none reported dropped.
import type { DriverTally } from './drivers/driver.js';

export interface Verdict {
  accepted: number;
  delivered: number;
  /** Distinct messageIds in the events table. */
  stored: number;
  /** Accepted, and not in the events table. */
  missing: string[];
  /** In the events table more than once (the unique index should make this impossible). */
  duplicated: { messageId: string; count: number }[];
  /** Reported dropped by an SDK: the faults are all transient, so any is a failure. */
  dropped: { messageId: string; code: string }[];
  /** Reported delivered, and not stored. */
  deliveredNotStored: string[];
  /**
   * Stored, and never confirmed as accepted: legitimate only for the last calls of an app life
   * that was killed (written to its disk queue, the confirmation lost with the process).
   */
  unconfirmed: string[];
  /** Stored, never confirmed, and not from a killed life: something sent what no app accepted. */
  unexplained: string[];
  isPass: boolean;
}

/** `storedCounts`: rows per messageId in the events table. */
export function judge(tallies: DriverTally[], storedCounts: ReadonlyMap<string, number>): Verdict {
  const accepted = new Set(tallies.flatMap((tally) => tally.accepted));
  const delivered = new Set(tallies.flatMap((tally) => tally.delivered));
  const killedLives = tallies.flatMap((tally) => tally.killedLives);
  const missing = [...accepted].filter((id) => !storedCounts.has(id));
  const duplicated = [...storedCounts]
    .filter(([, count]) => count > 1)
    .map(([messageId, count]) => ({ messageId, count }));
  const dropped = tallies.flatMap((tally) => tally.dropped);
  const deliveredNotStored = [...delivered].filter((id) => !storedCounts.has(id));
  const unconfirmed = [...storedCounts.keys()].filter((id) => !accepted.has(id));
  const unexplained = unconfirmed.filter((id) => !killedLives.some((prefix) => id.startsWith(prefix)));
  return {
    accepted: accepted.size,
    delivered: delivered.size,
    stored: storedCounts.size,
    missing,
    duplicated,
    dropped,
    deliveredNotStored,
    unconfirmed,
    unexplained,
    isPass:
      missing.length === 0 &&
      duplicated.length === 0 &&
      dropped.length === 0 &&
      deliveredNotStored.length === 0 &&
      unexplained.length === 0,
  };
}
