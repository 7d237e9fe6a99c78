import { describe, expect, it } from 'vitest';
import { makeItem } from '../../../core/src/queue/store.contract.js';
import { claimRecords, type OwnedRecord } from './lease.js';

const options = { owner: 'me', leaseMs: 10_000, now: () => 50_000 };
const record = (id: string, owner: string, leaseUntil?: number): OwnedRecord => ({
  ...makeItem(id),
  owner,
  ...(leaseUntil !== undefined && { leaseUntil }),
});

describe('claimRecords', () => {
  it.each([
    ['mine, lease running', 'me', 60_000, true, false],
    ['mine, lease run out', 'me', 1_000, true, false],
    ['another tab’s, lease running', 'other', 50_001, false, false],
    ['another tab’s, lease ending now', 'other', 50_000, true, true],
    ['another tab’s, lease run out', 'other', 1_000, true, true],
    ['another tab’s, no lease at all', 'other', undefined, true, true],
  ])('%s: held %s, newly claimed %s', (_, owner, leaseUntil, isHeld, isClaimed) => {
    const leases = leaseUntil === undefined ? {} : { [owner]: leaseUntil };
    const result = claimRecords([record('x', owner)], leases, options);
    expect(result.mine.map((item) => item.id)).toEqual(isHeld ? ['x'] : []);
    expect(result.claimed.map((item) => item.id)).toEqual(isClaimed ? ['x'] : []);
    expect(result.changed).toEqual(isClaimed ? [{ ...makeItem('x'), owner: 'me' }] : []);
  });

  it('extends only this tab’s lease, keeps running ones and forgets those that ran out', () => {
    const result = claimRecords([], { me: 1, live: 50_001, dead: 49_999 }, options);
    expect(result.leases).toEqual({ me: 60_000, live: 50_001 });
  });

  it('writes back no record of its own, however many it holds', () => {
    const records = Array.from({ length: 1_000 }, (_, index) => record(`id-${index}`, 'me'));
    const result = claimRecords(records, { me: 55_000 }, options);
    expect(result.mine).toHaveLength(1_000);
    expect(result.changed).toEqual([]);
  });

  it('honours a lease kept on the record by an earlier release', () => {
    const result = claimRecords([record('x', 'old-tab', 50_001)], {}, options);
    expect(result.mine).toEqual([]);
  });

  it('answers plain queue items, oldest first', () => {
    const result = claimRecords([record('b', 'other'), { ...record('a', 'me'), enqueuedAt: 1 }], {}, options);
    expect(result.mine).toEqual([makeItem('a', { enqueuedAt: 1 }), makeItem('b')]);
  });
});
