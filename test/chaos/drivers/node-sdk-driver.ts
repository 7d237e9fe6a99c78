// Runs @weft/node (from source, disk queue) in a child process for the chaos harness. The child
// can be SIGKILLed and started again on the same queue directory: its next life sends what the
// last one had accepted.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sourceNodeArgs } from '../../support/node-sdk-source.js';
import { type ChaosDriver, type DrainResult, emptyTally, type SdkTiming } from './driver.js';
import type { FromApp, NodeAppConfig, ToApp } from './node-sdk-protocol.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const appScript = fileURLToPath(new URL('./node-sdk-app.ts', import.meta.url));

export interface NodeSdkDriverOptions {
  name: string;
  writeKey: string;
  queueDir: string;
  timing: SdkTiming;
  seed: number;
  /** Longest to wait for a child to start. */
  startTimeoutMs?: number;
}

interface Life {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

export function createNodeSdkDriver(options: NodeSdkDriverOptions): ChaosDriver {
  const tally = emptyTally();
  const pendingSends = new Map<number, () => void>();
  let url = '';
  let life: Life | undefined;
  let lifeNumber = 0;
  let requestId = 0;
  let onDrained: ((result: DrainResult) => void) | undefined;

  const handle = (message: FromApp) => {
    switch (message.type) {
      case 'accepted':
        tally.accepted.push(...message.messageIds);
        pendingSends.get(message.requestId)?.();
        pendingSends.delete(message.requestId);
        return;
      case 'delivered':
        tally.delivered.push(...message.messageIds);
        return;
      case 'dropped':
        for (const messageId of message.messageIds) tally.dropped.push({ messageId, code: message.code });
        return;
      case 'retry':
        tally.retries++;
        tally.highestAttempt = Math.max(tally.highestAttempt, message.attempt);
        tally.retriesByAttempt[message.attempt] = (tally.retriesByAttempt[message.attempt] ?? 0) + 1;
        return;
      case 'error':
        tally.errors.push(message.message);
        return;
      case 'drained':
        onDrained?.({ isComplete: message.isComplete, pending: message.pending });
        return;
      case 'ready':
        return;
    }
  };

  async function startLife(): Promise<void> {
    lifeNumber++;
    const config: NodeAppConfig = {
      host: url,
      writeKey: options.writeKey,
      queueDir: options.queueDir,
      idPrefix: `${options.name}-${lifeNumber}`,
      timing: options.timing,
      seed: options.seed * 1_000 + lifeNumber,
    };
    const child = spawn(process.execPath, [...sourceNodeArgs, appScript, JSON.stringify(config)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Write errors to a killed child surface through send's callback; this keeps them from crashing us.
    child.on('error', () => undefined);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<boolean>((resolve) => {
      child.on('message', (message: FromApp) => {
        if (message.type === 'ready') resolve(true);
        handle(message);
      });
      void exited.then(() => resolve(false));
      setTimeout(() => resolve(false), options.startTimeoutMs ?? 30_000).unref();
    });
    life = { child, exited, output: () => output };
    if (!(await ready)) {
      child.kill('SIGKILL');
      throw new Error(`${options.name}: the app did not start:\n${output}`);
    }
  }

  /** Sends to the app; `onFailed` runs when no app is listening (it died, or is restarting). */
  const post = (message: ToApp, onFailed: () => void = () => undefined) => {
    if (!life?.child.connected) return onFailed();
    // A SIGKILL may land between the check and the write: the pipe error comes here, not as a throw.
    life.child.send(message, (error) => {
      if (error) onFailed();
    });
  };

  const endLife = async () => {
    if (!life) return;
    life.child.kill('SIGKILL');
    await life.exited;
    // Calls the dead app never confirmed are neither accepted nor pending any more.
    for (const release of pendingSends.values()) release();
    pendingSends.clear();
  };

  return {
    name: options.name,
    async start(targetUrl) {
      url = targetUrl;
      await startLife();
    },
    send(count) {
      const id = ++requestId;
      return new Promise<void>((resolve) => {
        pendingSends.set(id, resolve);
        // No app right now (restarting after a kill): the calls are simply not made.
        post({ type: 'send', count, requestId: id }, () => {
          pendingSends.delete(id);
          resolve();
        });
      });
    },
    async kill() {
      tally.kills++;
      tally.killedLives.push(`${options.name}-${lifeNumber}-`);
      await endLife();
      await startLife();
    },
    async drain(timeoutMs) {
      const current = life;
      if (!current) return { isComplete: false, pending: Number.NaN };
      const drained = new Promise<DrainResult | undefined>((resolve) => {
        onDrained = resolve;
        void current.exited.then(() => resolve(undefined));
      });
      post({ type: 'drain', timeoutMs });
      // The app bounds its own drain; this bound is for an app that hangs.
      const timer = setTimeout(() => current.child.kill('SIGKILL'), timeoutMs + 10_000);
      const result = await drained;
      clearTimeout(timer);
      await Promise.race([current.exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await endLife();
      if (!result) throw new Error(`${options.name}: the app ended before it drained:\n${current.output()}`);
      return result;
    },
    async stop() {
      await endLife();
    },
    tally: () => structuredClone(tally),
  };
}
