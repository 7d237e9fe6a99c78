// For `pnpm bench:browser` (test/bench/browser.bench.ts): times a tracking call on the page's main
// thread. `call(i)` runs `count` times in batches of `batchSize`; each call's synchronous part is
// timed on its own (performance.now() before and after, nothing awaited), and each batch's
// promises are then awaited, giving the time to settle per call.
window.measureCalls = async function measureCalls(call, { count, batchSize }) {
  const syncMs = new Float64Array(count);
  const settlePerCallMs = [];
  let syncTotalMs = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const pending = [];
    const batchStart = performance.now();
    for (let index = start; index < end; index++) {
      const before = performance.now();
      pending.push(call(index));
      const took = performance.now() - before;
      syncMs[index] = took;
      syncTotalMs += took;
    }
    await Promise.all(pending);
    settlePerCallMs.push((performance.now() - batchStart) / (end - start));
  }
  const percentile = (values, p) => {
    const sorted = Array.from(values).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  };
  return {
    count,
    // 5 µs timer resolution needs cross-origin isolation; without it Chromium gives 100 µs.
    crossOriginIsolated: self.crossOriginIsolated,
    syncMedianMs: percentile(syncMs, 50),
    syncP99Ms: percentile(syncMs, 99),
    syncMeanMs: syncTotalMs / count,
    settleMedianMs: percentile(settlePerCallMs, 50),
    settleP99Ms: percentile(settlePerCallMs, 99),
  };
};
