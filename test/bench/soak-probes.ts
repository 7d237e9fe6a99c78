import { readFileSync, statSync } from 'node:fs';

/**
 * Anonymous resident memory of a process in MB (heap, stacks, SQLite's page cache), from /proc
 * (Linux); NaN where /proc is not available. Not VmRSS: the server maps its database file for
 * reads, and those file pages count in VmRSS as they are touched, so VmRSS grows with the
 * database and would hide a leak's trend behind the file's.
 */
export function residentMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^RssAnon:\s+(\d+)\s+kB/m.exec(status);
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
