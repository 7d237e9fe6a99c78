/**
 * The real server (src/main.ts) as a child process on 127.0.0.1 against a given database file.
 * `pin` prefixes the command (ingest.bench.ts runs it under `taskset`); bench:contacts does not
 * pin: with one sequential client the two never run at once, and on a shared machine a pinned
 * server waits for its one core while the other is idle.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { benchAdminToken, benchWriteKey } from './bench-events.js';

const packageDir = fileURLToPath(new URL('../', import.meta.url));

export interface BenchServer {
  readonly url: string;
  /** The server's process, for its CPU time (/proc/<pid>/stat). */
  readonly pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Which server to run: this package's src/main.ts unless told otherwise. */
export interface BenchServerOptions {
  /** Prefixes the command (ingest.bench.ts runs it under `taskset`). */
  readonly pin?: readonly string[];
  /** The server package to run from (another checkout, for a before/after in one run). */
  readonly packageDir?: string;
  /** Its entry, relative to packageDir. */
  readonly entry?: string;
  readonly env?: Record<string, string>;
}

export async function startBenchServer(dbPath: string, options: BenchServerOptions = {}): Promise<BenchServer> {
  const port = await freePort();
  const entry = options.entry ?? 'src/main.ts';
  // BENCH_SERVER_NODE_ARGS: flags for the server's node alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const [command = process.execPath, ...args] = [
    ...(options.pin ?? []),
    process.execPath,
    ...nodeArgs,
    '--import',
    'tsx',
    entry,
  ];
  const child: ChildProcess = spawn(command, args, {
    cwd: options.packageDir ?? packageDir,
    env: {
      ...process.env,
      ...options.env,
      PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_DB: dbPath,
      WEFT_WRITE_KEY: benchWriteKey,
      WEFT_ADMIN_TOKEN: benchAdminToken,
    },
    // The request log goes nowhere: a terminal would slow the server down, not the queries.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 600; i++) {
    const healthy = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return { url, pid: child.pid as number, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy');
}
