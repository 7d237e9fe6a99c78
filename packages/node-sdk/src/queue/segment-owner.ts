// Who owns a queue file. Each store writes its own file, `q-<pid>-<hex>.log`; a store opening the
// directory adopts the files whose owner is gone, so two live processes never send the same events.

const SEGMENT = /^q-(\d+)-([0-9a-f]+)(?:-[a-z0-9]+)?\.(log|tmp)$/;

export interface SegmentName {
  /** `<pid>-<hex>`: the owning store. */
  owner: string;
  pid: number;
  kind: 'log' | 'tmp';
}

export function parseSegmentName(name: string): SegmentName | undefined {
  const match = SEGMENT.exec(name);
  if (!match) return undefined;
  const [, pid, hex, kind] = match;
  return { owner: `${pid}-${hex}`, pid: Number(pid), kind: kind as 'log' | 'tmp' };
}

/** Owners open in this process; a file with our pid but not listed here was left by an earlier process. */
const openHere = new Set<string>();

export function markOpen(owner: string): void {
  openHere.add(owner);
}

export function markClosed(owner: string): void {
  openHere.delete(owner);
}

export interface OwnerCheck {
  pid: number;
  isProcessAlive: (pid: number) => boolean;
}

export function isOwnerAlive(owner: SegmentName, self: OwnerCheck): boolean {
  // Same pid as ours: a container restarted with the same pid, or another store in this process.
  if (owner.pid === self.pid) return openHere.has(owner.owner);
  return self.isProcessAlive(owner.pid);
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
