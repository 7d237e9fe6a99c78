import { compareQueueItems, type QueueItem, type QueueStore } from '@weft/core';

/** A queue item as stored in the browser: which tab may send it, and until when. */
export interface LeasedRecord extends QueueItem {
  /** The tab that claimed it (a random id per client). */
  owner: string;
  /** Epoch ms; after it, any tab may claim the item (its owner stopped renewing: it died). */
  leaseUntil: number;
}

/** A store several tabs share: each loads and sends only the items it claimed. */
export interface ClaimingStore extends QueueStore {
  /**
   * Extends this tab's leases and claims the items whose lease ran out; returns the items newly
   * claimed (those of tabs that died), for the engine to adopt.
   */
  renew(): Promise<QueueItem[]>;
}

export interface LeaseOptions {
  /** This tab's id. */
  owner: string;
  /** How long a claim holds without renewal, ms. */
  leaseMs: number;
  now: () => number;
}

export interface ClaimResult {
  /** Every item this tab now holds, oldest first. */
  mine: QueueItem[];
  /** Items that were not this tab's before (in no particular order: the engine sorts what it adopts). */
  claimed: QueueItem[];
  /** Records to write back (all of this tab's, with the new lease). */
  changed: LeasedRecord[];
}

/**
 * Pure claim policy, applied inside one read-write transaction (IndexedDB) or one synchronous
 * task (localStorage): take every record this tab owns or whose lease expired, and extend the
 * lease on all of them.
 */
export function claimRecords(records: LeasedRecord[], options: LeaseOptions): ClaimResult {
  const now = options.now();
  const result: ClaimResult = { mine: [], claimed: [], changed: [] };
  for (const record of records) {
    const isMine = record.owner === options.owner;
    if (!isMine && record.leaseUntil > now) continue;
    const item = toItem(record);
    result.mine.push(item);
    if (!isMine) result.claimed.push(item);
    result.changed.push(toRecord(item, options));
  }
  result.mine.sort(compareQueueItems);
  return result;
}

export function toRecord(item: QueueItem, options: LeaseOptions): LeasedRecord {
  return { ...item, owner: options.owner, leaseUntil: options.now() + options.leaseMs };
}

/** The queue item alone, without the lease fields. */
export function toItem({ owner, leaseUntil, ...item }: LeasedRecord): QueueItem {
  return item;
}
