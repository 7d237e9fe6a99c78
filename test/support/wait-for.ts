import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Checks `condition` every `intervalMs` until it holds (true) or `timeoutMs` has passed (false).
 * One check at a time and no timer left behind, whichever comes first: a plain loop instead of a
 * setInterval racing a deadline timer.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 25 }: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(intervalMs, left));
  }
}
