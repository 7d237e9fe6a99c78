/** A change's seq and commit time: all the search reads. */
type SeqAt = { readonly seq: number; readonly at: number };
type Range = { readonly after: number; readonly last: number; readonly before: number };

/**
 * Where pruning may stop looking: the first change, after `after` and up to `last`, committed at or
 * after `before`. Changes are committed in seq order, so their times rise with seq (a clock set back
 * can make a few out of order: those wait for a later pass), and a binary search over seq finds it
 * in ~log2(range) look-ups, where a scan for the next prunable row would read every younger row
 * when there is none (a 1.5 s stall on a feed of millions, measured in bench:personalize).
 * `firstFrom(seq)`: the first change with a seq >= `seq`, or undefined. Answers `last + 1` when
 * every change in the range is older than `before`.
 */
export function firstYoungSeq(firstFrom: (seq: number) => SeqAt | undefined, range: Range): number {
  const search = youngSeqSearch(range);
  let step = search.next();
  while (!step.done) step = search.next(firstFrom(step.value));
  return step.value;
}

/** The same search for an engine that answers look-ups asynchronously (PostgreSQL). */
export async function firstYoungSeqAsync(
  firstFrom: (seq: number) => Promise<SeqAt | undefined>,
  range: Range,
): Promise<number> {
  const search = youngSeqSearch(range);
  let step = search.next();
  while (!step.done) step = search.next(await firstFrom(step.value));
  return step.value;
}

/** The search itself: yields each seq to look up from, is given the change found there. */
function* youngSeqSearch(range: Range): Generator<number, number, SeqAt | undefined> {
  let low = range.after + 1;
  let high = range.last + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const change = yield middle;
    if (!change || change.seq > range.last) high = middle;
    else if (change.at >= range.before) high = Math.min(middle, change.seq);
    else low = change.seq + 1;
  }
  return low;
}
