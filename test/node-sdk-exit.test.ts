import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcessServer } from './support/in-process-server.js';
import { sourceNodeArgs } from './support/node-sdk-source.js';
import { freePort, testWriteKey } from './support/server-process.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const script = 'test/support/node-sdk-exit-child.ts';

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer('node-sdk-exit');
});

afterAll(() => server?.close());

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
    const result = await runScript(server.url, 'exit-ok');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('delivered 3');
    const [count] = await server.database.query<{ n: number | string }>(
      "SELECT count(*) AS n FROM events WHERE user_id = 'exit-ok-user'",
    );
    expect(Number(count?.n)).toBe(3);
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
