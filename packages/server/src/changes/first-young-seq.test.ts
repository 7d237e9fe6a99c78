import { describe, expect, it } from 'vitest';
import { firstYoungSeq } from './first-young-seq.js';

/** Changes at these seqs (with gaps, as pruning and erasure leave them) and times. */
function feed(rows: [seq: number, at: number][]) {
  let lookups = 0;
  return {
    get lookups() {
      return lookups;
    },
    firstFrom(seq: number) {
      lookups++;
      const row = rows.find(([at]) => at >= seq);
      return row ? { seq: row[0], at: row[1] } : undefined;
    },
  };
}

describe('firstYoungSeq', () => {
  const rows: [number, number][] = [
    [2, 10],
    [3, 20],
    [7, 30],
    [8, 40],
    [12, 50],
    [20, 60],
  ];

  it.each([
    { after: 0, last: 20, before: 35 },
    { after: 0, last: 20, before: 10 },
    { after: 0, last: 20, before: 61 },
    { after: 7, last: 20, before: 35 },
    { after: 0, last: 10, before: 55 },
    { after: 8, last: 20, before: 45 },
    { after: 20, last: 20, before: 45 },
  ])('splits %j into older changes before the answer and younger from it', (range) => {
    const boundary = firstYoungSeq(feed(rows).firstFrom, range);
    const inRange = rows.filter(([seq]) => seq > range.after && seq <= range.last);
    expect(inRange.filter(([seq]) => seq < boundary).every(([, at]) => at < range.before)).toBe(true);
    expect(inRange.filter(([seq]) => seq >= boundary).every(([, at]) => at >= range.before)).toBe(true);
    expect(boundary).toBeGreaterThan(range.after);
    expect(boundary).toBeLessThanOrEqual(range.last + 1);
  });

  it('finds the edge of a million changes in a few dozen look-ups', () => {
    const lookups = { count: 0 };
    const firstFrom = (seq: number) => {
      lookups.count++;
      return seq <= 1_000_000 ? { seq, at: seq < 700_000 ? 0 : 100 } : undefined;
    };
    expect(firstYoungSeq(firstFrom, { after: 0, last: 1_000_000, before: 50 })).toBe(700_000);
    expect(lookups.count).toBeLessThan(25);
  });
});
