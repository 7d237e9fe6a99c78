import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeItem, testQueueStore } from '../../../core/src/queue/store.contract.js';
import { createDiskStore, type DiskStore, type DiskStoreOptions } from './disk-store.js';
import { encodePut } from './log-records.js';

const dirs: string[] = [];
const stores: DiskStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-disk-store-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, options: Partial<DiskStoreOptions> = {}): DiskStore {
  const store = createDiskStore({ dir, fsync: false, ...options });
  stores.push(store);
  return store;
}

const dirOf = new WeakMap<object, string>();
testQueueStore('disk', {
  create() {
    const dir = newDir();
    const store = open(dir);
    dirOf.set(store, dir);
    return store;
  },
  async reopen(store) {
    await (store as DiskStore).close();
    return open(dirOf.get(store) as string);
  },
});

/** A pid no process has: far above Linux's pid_max. */
const DEAD_PID = 99_999_999;

describe('ownership of the directory', () => {
  it('adopts the log of a process that is gone, and removes the adopted file', async () => {
    const dir = newDir();
    writeFileSync(join(dir, `q-${DEAD_PID}-abc123.log`), encodePut([makeItem('a'), makeItem('b')]));
    const store = open(dir);
    expect((await store.load()).map((item) => item.id)).toEqual(['a', 'b']);
    expect(readdirSync(dir)).toEqual([store.file.slice(dir.length + 1)]);
  });

  it('leaves alone the log of a live process, so two processes never send the same events', async () => {
    const dir = newDir();
    const first = open(dir, { pid: 1_001, isProcessAlive: () => true });
    await first.put([makeItem('a')]);
    const second = open(dir, { pid: 1_002, isProcessAlive: () => true });
    await second.put([makeItem('b')]);
    expect((await second.load()).map((item) => item.id)).toEqual(['b']);
    expect((await first.load()).map((item) => item.id)).toEqual(['a']);
  });

  it('treats a log with our own pid from an earlier run (a restarted container) as orphaned', async () => {
    const dir = newDir();
    writeFileSync(join(dir, `q-${process.pid}-0ld0ne.log`.replace('0ld0ne', 'aaaaaa')), encodePut([makeItem('a')]));
    const store = open(dir);
    expect((await store.load()).map((item) => item.id)).toEqual(['a']);
  });

  it('lets two stores racing for one orphan adopt it exactly once', async () => {
    const dir = newDir();
    writeFileSync(join(dir, `q-${DEAD_PID}-abc123.log`), encodePut([makeItem('a')]));
    const [one, two] = [open(dir), open(dir)];
    const loaded = [...(await one.load()), ...(await two.load())];
    expect(loaded.map((item) => item.id)).toEqual(['a']);
  });

  it('skips a last line cut short by a SIGKILL, keeping every whole record', async () => {
    const dir = newDir();
    const text = encodePut([makeItem('a')]) + encodePut([makeItem('b')]).slice(0, 30);
    writeFileSync(join(dir, `q-${DEAD_PID}-abc123.log`), text);
    const warnings: string[] = [];
    const store = open(dir, { onWarning: (message) => warnings.push(message) });
    expect((await store.load()).map((item) => item.id)).toEqual(['a']);
    expect(warnings[0]).toMatch(/skipped 1 damaged line/);
  });

  it('removes its log on close when it holds nothing, and keeps it when it does', async () => {
    const dir = newDir();
    const empty = open(dir);
    await empty.put([makeItem('a')]);
    await empty.remove(['a']);
    await empty.close();
    expect(readdirSync(dir)).toEqual([]);
    const full = open(dir);
    await full.put([makeItem('b')]);
    await full.close();
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('compaction', () => {
  it('rewrites a log grown past its threshold to what it holds, losing nothing', async () => {
    const dir = newDir();
    const store = open(dir, { compactAfterBytes: 10_000 });
    await store.put(['k1', 'k2', 'k3'].map((id) => makeItem(id)));
    for (let round = 0; round < 200; round++) {
      const id = `passing-${String(round).padStart(3, '0')}`;
      await store.put([makeItem(id)]);
      await store.remove([id]);
    }
    // 200 put+remove pairs wrote about 30 KB; compaction keeps the log near the threshold.
    expect(readFileSync(store.file, 'utf8').length).toBeLessThan(11_000);
    expect((await store.load()).map((item) => item.id)).toEqual(['k1', 'k2', 'k3']);
    await store.close();
    const reopened = open(dir);
    expect((await reopened.load()).map((item) => item.id)).toEqual(['k1', 'k2', 'k3']);
  });
});

describe('a directory it cannot use', () => {
  it('fails its calls with the file system’s error instead of losing them silently', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const store = open(join(dir, 'not-a-dir', 'queue'));
    await expect(store.load()).rejects.toThrow(/ENOTDIR|EEXIST/);
    await expect(store.put([makeItem('a')])).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});
