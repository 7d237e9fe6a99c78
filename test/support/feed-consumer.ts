import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './clean-env.js';
import type { ChangeRecord } from './feed-delivery.js';
import { testAdminToken } from './server-process.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const childScript = 'test/support/feed-consumer-child.ts';

export interface FeedConsumer {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The cursor of each stream it opened, in order (undefined: from the start). */
  connections(): (string | undefined)[];
  /** How many of its streams have ended: after that, it records nothing until it connects again. */
  lostStreams(): number;
  output(): string;
}

const running = new Set<ChildProcess>();

/** Kills consumers a failed test left running; call it from afterEach. */
export function killStrayConsumers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Starts feed-consumer-child.ts on `file`: it resumes after the last change the file holds. */
export function startFeedConsumer(url: string, file: string): FeedConsumer {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, url, file], {
    cwd: repoRoot,
    env: cleanEnv({ ADMIN_TOKEN: testAdminToken }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    exited,
    connections: () =>
      [...stdout.matchAll(/^connected after=(\S+)$/gm)].map((match) => (match[1] === 'start' ? undefined : match[1])),
    lostStreams: () => stdout.match(/^lost$/gm)?.length ?? 0,
    output: () => `${stdout}${stderr}`,
  };
}

/** The changes recorded in a consumer's file, in the order received; a line cut short is left out. */
export function readReceived(file: string): ChangeRecord[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ChangeRecord);
}
