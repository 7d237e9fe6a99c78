import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** The Chromium binary the browser tests drive: Debian's package unless WEFT_CHROMIUM names another. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env.WEFT_CHROMIUM ?? '/usr/bin/chromium';
}

/** Fails, with how to get one, when there is no Chromium: a browser test must not pass by skipping. */
export function requireChromium(path = chromiumPath()): string {
  if (existsSync(path)) return path;
  throw new Error(
    `Chromium is missing: nothing at ${path}. Install Debian's package with \`sudo scripts/ensure-chromium.sh\` ` +
      '(or `apt-get install -y chromium`), or set WEFT_CHROMIUM to the path of a Chromium or Chrome binary. ' +
      'Playwright cannot download browsers on this machine.',
  );
}

// Names the tests use for pages that are not a secure context; Chromium resolves them to 127.0.0.1.
export const insecureHost = 'weft-insecure.test';
export const elsewhereHost = 'weft-elsewhere.test';

const baseFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-default-browser-check',
  `--host-resolver-rules=MAP ${insecureHost} 127.0.0.1, MAP ${elsewhereHost} 127.0.0.1`,
  // Would try https:// first for the .test names and fall back, which only costs time here.
  '--disable-features=HttpsUpgrades',
];

export interface RunningChromium {
  /** The profile's only context: what its pages share (IndexedDB, cookies, locks). */
  readonly context: BrowserContext;
  readonly browser: Browser;
  readonly process: ChildProcess;
  /** SIGKILLs the browser and every process it started, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** Ends the browser (gracefully, then by force after 5 s). */
  close(): Promise<void>;
}

/**
 * Starts Chromium ourselves (not through Playwright's launcher) so the test owns the process and
 * can SIGKILL it, then drives it over CDP. The profile in `userDataDir` survives a kill.
 *
 * A start that fails is tried again, up to three times: on a loaded 2-core machine CI saw the
 * DevTools socket connect and its handshake then stall for 20 s (a start, not the code under
 * test). A missing binary or a broken profile fails every time, with its own error.
 */
// Three: a CI run with browser suites side by side saw two handshakes in a row stall (2026-12-03).
const startAttempts = 3;

export async function startChromium(userDataDir: string): Promise<RunningChromium> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startChromiumOnce(userDataDir);
    } catch (error) {
      if (attempt === startAttempts) throw error;
    }
  }
}

async function startChromiumOnce(userDataDir: string): Promise<RunningChromium> {
  const executable = requireChromium();
  const child = spawn(executable, [...baseFlags, '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`], {
    // A process group of its own, so a kill reaches the renderers and the network service too.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let browser: Browser;
  try {
    const endpoint = await devToolsEndpoint(child, 20_000);
    browser = await chromium.connectOverCDP(endpoint, { timeout: 20_000 });
  } catch (error) {
    killGroup(child);
    // Gone before the caller retries on the same profile.
    await exited;
    throw error;
  }
  const context = browser.contexts()[0];
  if (!context) throw new Error('Chromium started without a default context');

  const kill = async () => {
    killGroup(child);
    await exited;
  };
  return {
    context,
    browser,
    process: child,
    kill,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child), 5_000);
      await exited;
      clearTimeout(timer);
      // Helpers (zygote, utility processes) that outlived the browser.
      killGroup(child);
    },
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

function devToolsEndpoint(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`Chromium printed no DevTools endpoint in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        cleanup();
        // Keep draining stderr so a chatty browser never blocks on a full pipe.
        child.stderr?.resume();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`Chromium exited (${code ?? signal}) before it was ready:\n${output.slice(-2_000)}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A browser on a new profile, and the folder of that profile, removed on close. */
export async function startFreshChromium(name: string): Promise<RunningChromium & { readonly userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), `weft-chromium-${name}-`));
  try {
    const running = await startChromium(userDataDir);
    return {
      ...running,
      userDataDir,
      async close() {
        await running.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
