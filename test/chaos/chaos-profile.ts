// The settings the CI test and the longer bench share; only the duration differs.
import { join } from 'node:path';
import { testWriteKey } from '../support/server-process.js';
import { createBrowserSdkDriver } from './drivers/browser-sdk-driver.js';
import type { SdkTiming } from './drivers/driver.js';
import { createNodeSdkDriver } from './drivers/node-sdk-driver.js';
import type { FaultPlanOptions } from './fault-schedule.js';
import type { ChaosRunOptions } from './run-chaos.js';

/**
 * SDK time scaled down so that minutes exercise what hours would: a 1.5 s request timeout (default
 * 10 s), batches every 250 ms (default 10 s) and backoff waits half the defaults (ceilings
 * 250 ms·2ⁿ⁻¹ instead of 500 ms·2ⁿ⁻¹; the 100 ms floor kept). Retries are bounded by the default
 * age limit, 24 h, so no fault of a run this short can spend them; the waits stay short enough for
 * the drain. (Under the old rule of 11 attempts, half the waits was the least that outlasted a
 * restart under load, 6–7 s of real time.)
 */
export const chaosTiming: SdkTiming = {
  requestTimeoutMs: 1_500,
  flushIntervalMs: 250,
  flushAt: 10,
  backoffScale: 0.5,
};

/** Faults for `durationMs`: each episode shorter than the retry budget, so all of them are transient. */
export function chaosPlan(durationMs: number): FaultPlanOptions {
  return {
    durationMs,
    warmupMs: 3_000,
    // Apart enough that a batch's attempts (which add up over its life) stay within the budget: at
    // 1.5–3.5 s gaps and 8 faults per 50 requests, one batch of 6 browser events spent all 10 of
    // its attempts in a 3-minute run (docs/reliability.md).
    gapMs: [2_500, 5_000],
    episodeMs: [600, 2_000],
    // A restart from source takes 2.5 s on this machine when idle, 6 s under the run's load.
    killReserveMs: 5_000,
    // Kills twice per round: the fault the issue cares most about.
    episodeDeck: ['status_500', 'status_503', 'status_429', 'outage', 'server_kill', 'server_kill'],
    // 6 of every 50 requests between episodes (12 %).
    requestFaults: { cut_request: 1, cut_response: 2, delay_request: 1, delay_response: 2 },
    requestFaultBlock: 50,
    // Past the 1.5 s request timeout.
    delayMs: 2_000,
    retryAfterSeconds: 1,
  };
}

export function chaosRunOptions(input: {
  seed: number;
  durationMs: number;
  /** @weft/node apps (child processes) and @weft/browser tabs (one headless Chromium each). */
  nodeApps?: number;
  browsers?: number;
  log?: (line: string) => void;
}): ChaosRunOptions {
  const { nodeApps = 2, browsers = 1 } = input;
  return {
    seed: input.seed,
    plan: chaosPlan(input.durationMs),
    drivers: ({ workDir, seed }) => [
      ...Array.from({ length: nodeApps }, (_, i) =>
        createNodeSdkDriver({
          name: `node-${i + 1}`,
          writeKey: testWriteKey,
          queueDir: join(workDir, `queue-node-${i + 1}`),
          timing: chaosTiming,
          seed: seed + i,
        }),
      ),
      ...Array.from({ length: browsers }, (_, i) =>
        createBrowserSdkDriver({
          name: `browser-${i + 1}`,
          writeKey: testWriteKey,
          timing: chaosTiming,
          // 20 events/s, not 80: the browser's queue holds 1,000 events (its default), and at 80/s a
          // 10 s server restart plus backoff overflows it (reported queue_full, as designed).
          eventsPerTick: 2,
        }),
      ),
    ],
    tickMs: 100,
    // 80 events/s per Node app.
    eventsPerTick: 8,
    appKillEveryMs: 15_000,
    // Past the longest backoff wait (30 s at this scale) that may be under way when the faults stop.
    drainTimeoutMs: 45_000,
    ...(input.log ? { log: input.log } : {}),
  };
}
