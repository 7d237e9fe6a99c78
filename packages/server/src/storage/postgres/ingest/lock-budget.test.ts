import { describe, expect, it } from 'vitest';
import { sliceByLockBudget } from './lock-budget.js';

const locksOf = (item: string) => item.split(',');

describe('sliceByLockBudget', () => {
  it('cuts a batch, in order, into slices of at most the budget of distinct locks', () => {
    const items = ['a,b', 'b,c', 'd,e', 'e', 'f,g,h', 'i'];
    const slices = sliceByLockBudget(items, locksOf, 3);
    expect(slices).toEqual([['a,b', 'b,c'], ['d,e', 'e'], ['f,g,h'], ['i']]);
    for (const slice of slices) expect(new Set(slice.flatMap(locksOf)).size).toBeLessThanOrEqual(3);
    expect(slices.flat()).toEqual(items);
  });

  it('runs an item that alone exceeds the budget by itself, and keeps everything when under budget', () => {
    expect(sliceByLockBudget(['a', 'b,c,d,e', 'f'], locksOf, 2)).toEqual([['a'], ['b,c,d,e'], ['f']]);
    expect(sliceByLockBudget(['a', 'a', 'a,b'], locksOf, 2)).toEqual([['a', 'a', 'a,b']]);
    expect(sliceByLockBudget([], locksOf, 2)).toEqual([]);
    // One oversize set repeated (a shared envelope context) is one slice, not one per event.
    expect(sliceByLockBudget(['a,b,c', 'a,b,c', 'a,b,c', 'd'], locksOf, 2)).toEqual([
      ['a,b,c', 'a,b,c', 'a,b,c'],
      ['d'],
    ]);
  });
});
