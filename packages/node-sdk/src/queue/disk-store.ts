import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareQueueItems, type QueueItem, type QueueStore } from '@weft/core';
import { encodePut, encodeRemove, replayLog } from './log-records.js';
import { isOwnerAlive, isProcessAlive, markClosed, markOpen, parseSegmentName } from './segment-owner.js';

export interface DiskStoreOptions {
  dir: string;
  /** fsync each put before it settles (power-loss safe); removes are never synced: a lost one means a resend the server dedupes. */
  fsync?: boolean;
  /** Rewrite the log once it is past this size and four times what it holds. Default 1 MiB. */
  compactAfterBytes?: number;
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
  /** Damaged lines skipped, files that could not be read: nothing that stops the store. */
  onWarning?: (message: string) => void;
}

export interface DiskStore extends QueueStore {
  /** This store's own log file. */
  readonly file: string;
  /** Finishes pending writes and releases the file; a store opened later adopts what is left in it. */
  close(): Promise<void>;
}

/**
 * A QueueStore in append-only files, one per store: every put and remove is a line appended to
 * this store's log. Opening adopts the logs of stores whose process is gone (renamed to ours
 * first, so two processes never adopt the same one) and copies their items into our log.
 */
export function createDiskStore(options: DiskStoreOptions): DiskStore {
  const { dir } = options;
  const pid = options.pid ?? process.pid;
  const self = { pid, isProcessAlive: options.isProcessAlive ?? isProcessAlive };
  const shouldSync = options.fsync ?? true;
  const compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024;
  const warn = options.onWarning ?? (() => undefined);
  const owner = `${pid}-${randomBytes(6).toString('hex')}`;
  const file = join(dir, `q-${owner}.log`);
  // Marked at once, so a store opened next in this process sees this one as alive.
  markOpen(owner);

  const items = new Map<string, QueueItem>();
  let handle: FileHandle | undefined;
  let logBytes = 0;
  let liveBytes = 0;
  /** A failed append may have left half a line; the next record starts on a line of its own. */
  let isLineOpen = false;
  let isClosed = false;
  let adopted = 0;

  // Every file operation runs in this chain, one at a time, in call order.
  // A failed start (unwritable directory…) fails every call after it, with its own error.
  const started = initialise();
  let tail: Promise<unknown> = started.catch(() => undefined);
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = tail.then(() => started).then(task);
    tail = next.catch(() => undefined);
    return next;
  }

  async function initialise(): Promise<void> {
    await mkdir(dir, { recursive: true });
    handle = await open(file, 'a');
    const claimed = await claimOrphans();
    for (const path of claimed) {
      const replayed = replayLog(await readFile(path, 'utf8'));
      if (replayed.skippedLines > 0) warn(`skipped ${replayed.skippedLines} damaged line(s) in ${path}`);
      for (const item of replayed.items.values()) set(item);
    }
    if (items.size > 0) await append(encodePut([...items.values()]), true);
    else if (shouldSync) await syncDir();
    // Only once their items are safely in our log.
    for (const path of claimed) await unlink(path).catch(() => undefined);
  }

  async function claimOrphans(): Promise<string[]> {
    const claimed: string[] = [];
    for (const name of await readdir(dir)) {
      const segment = parseSegmentName(name);
      if (!segment || segment.owner === owner || isOwnerAlive(segment, self)) continue;
      const path = join(dir, name);
      if (segment.kind === 'tmp') {
        // A compaction cut short: its log is still whole.
        await unlink(path).catch(() => undefined);
        continue;
      }
      // If we die before copying, the claimed file bears our pid and is adopted in turn.
      const target = join(dir, `q-${owner}-a${adopted++}.log`);
      try {
        await rename(path, target);
        claimed.push(target);
      } catch (error) {
        // ENOENT: another process claimed it first.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`could not adopt ${path}: ${String(error)}`);
      }
    }
    return claimed;
  }

  function set(item: QueueItem): void {
    const old = items.get(item.id);
    if (old) liveBytes -= old.bytes;
    items.set(item.id, { ...item });
    liveBytes += item.bytes;
  }

  async function append(text: string, sync: boolean): Promise<void> {
    if (!handle) throw new Error(`the disk queue in ${dir} is closed`);
    const line = isLineOpen ? `\n${text}` : text;
    isLineOpen = true;
    await handle.appendFile(line, 'utf8');
    isLineOpen = false;
    logBytes += Buffer.byteLength(line);
    if (sync) await handle.sync();
  }

  async function syncDir(): Promise<void> {
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  async function compactIfWorthIt(): Promise<void> {
    if (logBytes < compactAfterBytes || logBytes < 4 * (liveBytes + items.size * 128)) return;
    const temp = join(dir, `q-${owner}.tmp`);
    const text = items.size > 0 ? encodePut([...items.values()].sort(compareQueueItems)) : '';
    await writeFile(temp, text, { encoding: 'utf8', flush: true });
    await handle?.close();
    handle = undefined;
    // rename is atomic: a crash leaves either the old log or the new one, whole.
    await rename(temp, file);
    await syncDir();
    handle = await open(file, 'a');
    logBytes = Buffer.byteLength(text);
  }

  return {
    file,
    load: () => enqueue(async () => [...items.values()].map((item) => ({ ...item })).sort(compareQueueItems)),
    put: (batch) =>
      enqueue(async () => {
        if (isClosed) throw new Error(`the disk queue in ${dir} is closed`);
        await append(encodePut(batch), shouldSync);
        for (const item of batch) set(item);
      }),
    remove: (ids) =>
      enqueue(async () => {
        // After close, the log is the next process's to replay: resending is safe, the server dedupes.
        if (isClosed) return;
        const present = ids.filter((id) => items.has(id));
        if (present.length === 0) return;
        await append(encodeRemove(present), false);
        for (const id of present) {
          liveBytes -= items.get(id)?.bytes ?? 0;
          items.delete(id);
        }
        await compactIfWorthIt();
      }),
    async close() {
      // The engine's close has already waited for its own writes; these are the ones under way.
      await tail;
      isClosed = true;
      await enqueue(async () => {
        await handle?.close();
        handle = undefined;
        // An empty log is of no use to anyone; a full one waits for the next store to adopt it.
        if (items.size === 0) await unlink(file).catch(() => undefined);
      }).finally(() => markClosed(owner));
    },
  };
}
