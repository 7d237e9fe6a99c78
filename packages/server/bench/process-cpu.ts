/** CPU time of processes, from /proc (Linux): what bench:scale and bench:pg-ingest charge per event. */
import { readdirSync, readFileSync } from 'node:fs';

const microsPerTick = 10_000; // USER_HZ is 100 on Linux.

/** User + system CPU time of one process, in µs (0 once it has gone). */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * microsPerTick;
  } catch {
    return 0;
  }
}

/** The same, summed over every PostgreSQL process on this machine. */
export function postgresCpuMicros(): number {
  let micros = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') micros += processCpuMicros(Number(entry));
    } catch {
      // The process ended while we read.
    }
  }
  return micros;
}
