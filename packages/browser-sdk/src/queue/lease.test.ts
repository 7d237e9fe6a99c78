import { describe, expect, it } from 'vitest';
import { makeItem } from '../../../core/src/queue/store.contract.js';
import { claimRecords, type LeasedRecord } from './lease.js';

const options = { owner: 'me', leaseMs: 10_000, now: () => 50_000 };
const record = (id: string, owner: string, leaseUntil: number): LeasedRecord => ({
  ...makeItem(id),
  owner,
  leaseUntil,
});

describe('claimRecords', () => {
  it.each([
    ['mine, lease running', 'me', 60_000, true, false],
    ['mine, lease run out', 'me', 1_000, true, false],
    ['another tab’s, lease running', 'other', 50_001, false, false],
    ['another tab’s, lease ending now', 'other', 50_000, true, true],
    ['another tab’s, lease run out', 'other', 1_000, true, true],
  ])('%s: held %s, newly claimed %s', (_, owner, leaseUntil, isHeld, isClaimed) => {
    const result = claimRecords([record('x', owner, leaseUntil)], options);
    expect(result.mine.map((item) => item.id)).toEqual(isHeld ? ['x'] : []);
    expect(result.claimed.map((item) => item.id)).toEqual(isClaimed ? ['x'] : []);
    expect(result.changed).toEqual(isHeld ? [{ ...makeItem('x'), owner: 'me', leaseUntil: 60_000 }] : []);
  });

  it('answers plain queue items, oldest first', () => {
    const result = claimRecords([record('b', 'other', 0), { ...record('a', 'me', 0), enqueuedAt: 1 }], options);
    expect(result.mine).toEqual([makeItem('a', { enqueuedAt: 1 }), makeItem('b')]);
  });
});
