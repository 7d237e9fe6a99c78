// What the chaos run sends to and reads back from: the real server on SQLite (one process, killed
// and restarted), or several PostgreSQL ingest nodes (postgres-backend.ts).
import { join } from 'node:path';
import { type ServerCounters, startServerLives } from './server-lives.js';
import { readStoredCounts } from './stored-events.js';

export interface ChaosBackend {
  /** The ports the proxy forwards to, a connection each in turn. */
  readonly ports: readonly number[];
  readonly kills: number;
  /** SIGKILLs a server and starts it again; resolves with the ports to forward to from then on. */
  killAndRestart(): Promise<readonly number[]>;
  counters(): Promise<ServerCounters>;
  /** SIGTERM (a clean shutdown), waiting at most `timeoutMs`, then SIGKILL. */
  stop(timeoutMs?: number): Promise<void>;
  /** Rows per messageId in the events table (once stopped). */
  storedCounts(): Promise<Map<string, number>>;
  /** What else is wrong with what is stored (one contact per person, counts), as sentences; none when right. */
  storeProblems(): Promise<string[]>;
  /** Drops what the run made (a schema); the run's directory is removed by the run. */
  close(): Promise<void>;
}

export type StartBackend = (workDir: string) => Promise<ChaosBackend>;

/** The real server on a SQLite file in the run's directory. */
export const sqliteBackend: StartBackend = async (workDir) => {
  const dbPath = join(workDir, 'weft.db');
  const lives = await startServerLives(dbPath);
  return {
    get ports() {
      return [lives.current.port];
    },
    get kills() {
      return lives.kills;
    },
    killAndRestart: async () => [(await lives.killAndRestart()).port],
    counters: () => lives.counters(),
    stop: (timeoutMs) => lives.stop(timeoutMs),
    storedCounts: async () => readStoredCounts(dbPath),
    storeProblems: async () => [],
    close: async () => undefined,
  };
};
