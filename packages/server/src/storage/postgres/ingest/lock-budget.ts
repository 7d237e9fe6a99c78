/**
 * How a batch is cut so that no transaction holds more advisory locks than its budget. PostgreSQL
 * keeps every lock in one shared table, sized max_locks_per_transaction × (max_connections +
 * max_prepared_transactions) (64 × 100 by default): a transaction that takes more than the table has
 * left fails with "out of shared memory", and while it holds them every other transaction on the
 * cluster may fail the same way. A group commit may hold thousands of events and each takes two or
 * three locks, so a batch runs as consecutive transactions of at most `budget` distinct locks each,
 * in the batch's order. A single event that alone exceeds the budget still runs, alone.
 */
export function sliceByLockBudget<T>(
  items: readonly T[],
  lockNamesOf: (item: T) => Iterable<string>,
  budget: number,
): T[][] {
  const slices: T[][] = [];
  let slice: T[] = [];
  let names = new Set<string>();
  for (const item of items) {
    const own = new Set(lockNamesOf(item));
    let added = 0;
    for (const name of own) if (!names.has(name)) added++;
    // An item that adds no lock never starts a slice: the same oversize set repeated runs as one.
    if (slice.length > 0 && added > 0 && names.size + added > budget) {
      slices.push(slice);
      slice = [];
      names = new Set();
    }
    slice.push(item);
    for (const name of own) names.add(name);
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}
