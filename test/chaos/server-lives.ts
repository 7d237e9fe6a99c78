// The real server, run from source on one database across lives: SIGKILLed at the harness's
// word and started again (on a new port; the proxy follows it). It sums the dedupe counter over
// the lives, since each life's /metrics starts from zero.
import { fetchMetrics, killStrayServers, type ServerProcess, startServerProcess } from '../support/server-process.js';

export interface ServerCounters {
  /** weft_events_deduplicated_total, summed over the lives. */
  deduplicated: number;
  /** weft_events_accepted_total (events stored), summed over the lives. */
  accepted: number;
}

export interface ServerLives {
  readonly current: ServerProcess;
  readonly kills: number;
  /** SIGKILL, then start again on the same database; resolves with the new life once healthy. */
  killAndRestart(): Promise<ServerProcess>;
  /**
   * Counters over every life. The last reading before each kill is the one counted: anything the
   * server did between that reading and the kill is missing, so these are lower bounds.
   */
  counters(): Promise<ServerCounters>;
  /** SIGTERM (a clean shutdown), waiting at most `timeoutMs`, then SIGKILL. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startServerLives(dbPath: string): Promise<ServerLives> {
  let current = await startServerProcess(dbPath);
  let kills = 0;
  const finished: ServerCounters = { deduplicated: 0, accepted: 0 };

  const add = (counters: ServerCounters) => {
    finished.deduplicated += counters.deduplicated;
    finished.accepted += counters.accepted;
  };

  return {
    get current() {
      return current;
    },
    get kills() {
      return kills;
    },
    async killAndRestart() {
      add(await readCounters(current.url));
      current.child.kill('SIGKILL');
      await current.exited;
      kills++;
      current = await startAgain(dbPath);
      return current;
    },
    async counters() {
      const live = await readCounters(current.url);
      return { deduplicated: finished.deduplicated + live.deduplicated, accepted: finished.accepted + live.accepted };
    },
    async stop(timeoutMs = 10_000) {
      if (current.child.exitCode !== null || current.child.signalCode !== null) return;
      current.child.kill('SIGTERM');
      const timer = setTimeout(() => current.child.kill('SIGKILL'), timeoutMs);
      await current.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the server on the database, a second and third time if it is not healthy within the 20 s
 * startServerProcess allows (a loaded machine): the test is about the SDKs, not about start time.
 */
async function startAgain(dbPath: string): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerProcess(dbPath);
    } catch (error) {
      // The only server this process still runs is the one that failed to start.
      killStrayServers();
      if (attempt === 3) throw error;
    }
  }
}

/** The counters of one life; zeros if it does not answer within a second. */
export async function readCounters(url: string): Promise<ServerCounters> {
  try {
    const text = await fetchMetrics(url, { signal: AbortSignal.timeout(1_000) });
    const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { deduplicated: read('weft_events_deduplicated_total'), accepted: read('weft_events_accepted_total') };
  } catch {
    return { deduplicated: 0, accepted: 0 };
  }
}
