import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@weft/server';
import { loadConfig, openDatabase, silentLogger, startServer } from '@weft/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceNodeArgs } from './support/node-sdk-source.js';
import { freePort, testWriteKey } from './support/server-process.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const script = 'test/support/node-sdk-exit-child.ts';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-node-exit-'));
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: join(dir, 'weft.db'),
    WEFT_WRITE_KEY: testWriteKey,
    WEFT_ADMIN_TOKEN: 'adm_exit_token_0123456789abcdefghijklmnop',
  });
  server = await startServer(config, silentLogger);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the script to its end; resolves with its output and how long it took. */
function runScript(host: string, tag: string): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...sourceNodeArgs, script],
      { cwd: repoRoot, timeout: 30_000, env: { ...process.env, HOST: host, WRITE_KEY: testWriteKey, RUN: tag } },
      (_error, stdout) => resolve({ code: child.exitCode, stdout, ms: Date.now() - started }),
    );
  });
}

describe('a script that ends without flushing', () => {
  it('exits on its own after one final flush that delivers its events', { timeout: 40_000 }, async () => {
    const result = await runScript(`http://127.0.0.1:${server.port}`, 'exit-ok');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('delivered 3');
    const db = openDatabase(join(dir, 'weft.db'));
    const count = db.prepare("SELECT count(*) AS n FROM events WHERE user_id = 'exit-ok-user'").get() as { n: number };
    db.close();
    expect(count.n).toBe(3);
  });

  it('with the server unreachable, exits after the bounded final flush and reports the events dropped', {
    timeout: 40_000,
  }, async () => {
    const closedPort = await freePort();
    const result = await runScript(`http://127.0.0.1:${closedPort}`, 'exit-down');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^retry /m);
    expect(result.stdout).toContain('dropped 3 shutdown');
    // 2 s of final flush, plus starting Node with tsx on a busy machine; not the hour-long interval.
    expect(result.ms).toBeLessThan(20_000);
  });
});
