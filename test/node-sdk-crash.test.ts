import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sourceNodeArgs } from './support/node-sdk-source.js';
import {
  fetchMetrics,
  killStrayServers,
  type ServerProcess,
  startServerProcess,
  testWriteKey,
} from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const childScript = 'test/support/node-sdk-queue-child.ts';
const dir = mkdtempSync(join(tmpdir(), 'weft-node-crash-'));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => {
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
});

function runChild(args: string[]) {
  const child = spawn(process.execPath, [...sourceNodeArgs, childScript, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function acceptedTotal(server: ServerProcess): Promise<number> {
  const metrics = await fetchMetrics(server.url);
  return Number(/^weft_events_accepted_total (\d+)/m.exec(metrics)?.[1] ?? 0);
}

describe('@weft/node disk queue across a SIGKILL', () => {
  it('delivers, exactly once, every event accepted before the kill, from the next process on the directory', {
    timeout: 60_000,
  }, async () => {
    const database = await openTestDatabase(dir);
    const server = await startServerProcess(database.url);
    const queueDir = join(dir, 'queue');
    const first = runChild(['track', server.url, testWriteKey, queueDir, 'crash']);
    const accepted = () => [...first.stdout().matchAll(/^accepted (\S+)$/gm)].map((match) => match[1] as string);

    // Kill it while it is sending, the moment a partial batch of 5 to 15 events waits unsent
    // behind the full batches already acknowledged or in flight.
    const killed = new Promise<void>((resolve) => {
      first.child.stdout?.on('data', () => {
        const count = accepted().length;
        if (count >= 300 && count % 20 >= 5 && count % 20 <= 15) {
          first.child.kill('SIGKILL');
          resolve();
        }
      });
      setTimeout(resolve, 30_000).unref();
    });
    await killed;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const acceptedIds = accepted();
    const storedBeforeRestart = await acceptedTotal(server);
    expect(acceptedIds.length, first.stderr()).toBeGreaterThanOrEqual(300);
    expect(storedBeforeRestart).toBeLessThan(acceptedIds.length);

    const second = runChild(['drain', server.url, testWriteKey, queueDir]);
    expect(await second.exited, second.stderr()).toEqual({ code: 0, signal: null });
    const drained = JSON.parse(/^drained (.*)$/m.exec(second.stdout())?.[1] ?? '{}');
    expect(drained).toMatchObject({ isComplete: true, pending: 0 });
    expect(drained.loaded).toBeGreaterThan(0);

    const rows = await database.query<{ message_id: string }>('SELECT message_id FROM events');
    const stored = rows.map((row) => row.message_id);
    // Every accepted event is there, once; besides them at most the few written to disk
    // between the last `accepted` line and the kill.
    expect(new Set(stored).size).toBe(stored.length);
    const storedSet = new Set(stored);
    expect(acceptedIds.filter((id) => !storedSet.has(id))).toEqual([]);
    const acceptedSet = new Set(acceptedIds);
    const extra = stored.filter((id) => !acceptedSet.has(id));
    expect(extra.length).toBeLessThanOrEqual(1);
    expect(extra.every((id) => id === `crash-${String(acceptedIds.length).padStart(5, '0')}`)).toBe(true);
    // The second process emptied the directory.
    expect(readdirSync(queueDir).filter((name) => name.endsWith('.log'))).toEqual([]);
    server.child.kill('SIGTERM');
    await server.exited;
    await database.close();
  });
});
