import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './clean-env.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const serverMain = 'packages/server/src/main.ts';

export const testWriteKey = 'wk_test_0123456789abcdefghijklmnopqrstuvwxyz';
export const testAdminToken = 'adm_test_0123456789abcdefghijklmnopqrstuvwxyz';

const running = new Set<ChildProcess>();

/** GET /metrics of a server started with testAdminToken, which it needs (a write key is refused). */
export async function fetchMetrics(url: string, init: { signal?: AbortSignal } = {}): Promise<string> {
  const response = await fetch(`${url}/metrics`, { ...init, headers: { Authorization: `Bearer ${testAdminToken}` } });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}

/** Kills servers a failed test left running; call it from afterAll. */
export function killStrayServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** A port the kernel just handed out; it is free unless another process grabs it in between. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Runs the real server from source (no build needed) on 127.0.0.1 and waits until /health answers.
 * On a free port unless `env.PORT` names one (a restart at the address its clients know). `entry`
 * runs another server entry instead (the PostgreSQL ingest node of the two-node chaos test).
 */
export async function startServerProcess(
  dbPath: string,
  env: Record<string, string> = {},
  entry: string = serverMain,
): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: cleanEnv({
      PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_DB: dbPath,
      WEFT_WRITE_KEY: testWriteKey,
      WEFT_ADMIN_TOKEN: testAdminToken,
      WEFT_LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, exited, () => output);
  return { port, url, child, exited, output: () => output };
}

async function waitForHealth(url: string, exited: Promise<unknown>, output: () => string): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (ended) throw new Error(`server exited before it was healthy:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server was not healthy within 20 s:\n${output()}`);
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
