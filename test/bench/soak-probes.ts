import { readFileSync, statSync } from 'node:fs';

/** Resident memory of a process in MB, from /proc (Linux); NaN where /proc is not available. */
export function residentMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The database file plus its write-ahead log, in MB. */
export function databaseMb(dbPath: string): number {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return (size(dbPath) + size(`${dbPath}-wal`)) / (1024 * 1024);
}
