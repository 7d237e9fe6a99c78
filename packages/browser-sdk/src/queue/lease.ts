import { compareQueueItems, type QueueItem, type QueueStore } from '@weft/core';
import type { DurableIdentityStore } from '../identity/identity.js';

/** A queue item as stored in the browser: which tab may send it. */
export interface OwnedRecord extends QueueItem {
  /** The tab that claimed it (a random id per client); its lease says until when. */
  owner: string;
  /** Epoch ms: a lease kept on the record itself, as releases before per-tab leases wrote it. */
  leaseUntil?: number;
}

/** Each tab's lease: owner → epoch ms after which any tab may claim its records (it stopped renewing: it died). */
export type Leases = Record<string, number>;

/** A store several tabs share: each loads and sends only the items it claimed. */
export interface ClaimingStore extends QueueStore, Partial<DurableIdentityStore> {
  // `loadIdentity`, where a store has it, answers what its last `load` or `renew` read.
  /**
   * Extends this tab's lease and claims the items whose owner's lease ran out; returns the items
   * newly claimed (those of tabs that died), for the engine to adopt.
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
  /** Records to write back: only those newly claimed, now this tab's. */
  changed: OwnedRecord[];
  /** The leases to keep: this tab's extended, those that ran out gone (their records are claimed with them). */
  leases: Leases;
}

/**
 * Pure claim policy, applied inside one read-write transaction (IndexedDB) or one synchronous
 * task (localStorage): take every record this tab owns or whose owner's lease ran out, and extend
 * this tab's one lease. Renewing costs one lease write however many records the tab holds.
 */
export function claimRecords(records: OwnedRecord[], leases: Leases, options: LeaseOptions): ClaimResult {
  const now = options.now();
  const result: ClaimResult = { mine: [], claimed: [], changed: [], leases: {} };
  for (const [owner, leaseUntil] of Object.entries(leases)) if (leaseUntil > now) result.leases[owner] = leaseUntil;
  result.leases[options.owner] = now + options.leaseMs;
  for (const record of records) {
    const isMine = record.owner === options.owner;
    if (!isMine && Math.max(leases[record.owner] ?? 0, record.leaseUntil ?? 0) > now) continue;
    const item = toItem(record);
    result.mine.push(item);
    if (!isMine) {
      result.claimed.push(item);
      result.changed.push(toRecord(item, options));
    }
  }
  result.mine.sort(compareQueueItems);
  return result;
}

export function toRecord(item: QueueItem, options: LeaseOptions): OwnedRecord {
  return { ...item, owner: options.owner };
}

/** The queue item alone, without the lease fields. */
export function toItem({ owner, leaseUntil, ...item }: OwnedRecord): QueueItem {
  return item;
}
