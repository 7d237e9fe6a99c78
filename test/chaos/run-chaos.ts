// The chaos run: the real server (killed and restarted), the fault proxy in front of it, and SDK
// apps sending through the proxy at a steady rate while the planned faults play out. Then the
// faults stop, the apps drain, and what they were told is compared with the events table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killStrayServers } from '../support/server-process.js';
import { type ChaosBackend, type StartBackend, sqliteBackend } from './chaos-backend.js';
import type { ChaosDriver, DrainResult, DriverTally } from './drivers/driver.js';
import { type FaultCounts, startFaultProxy } from './fault-proxy.js';
import { createFaultDecider, type FaultPlan, type FaultPlanOptions, planFaults } from './fault-schedule.js';
import { createSeededRandom } from './seeded-random.js';
import type { ServerCounters } from './server-lives.js';
import { judge, type Verdict } from './verdict.js';

export interface ChaosRunOptions {
  seed: number;
  plan: FaultPlanOptions;
  /** Builds the apps once the run's directory exists. */
  drivers: (context: { workDir: string; seed: number }) => ChaosDriver[];
  /** Each app makes `eventsPerTick` calls every `tickMs` while faults play out. */
  tickMs: number;
  eventsPerTick: number;
  /** SIGKILL an app (one with `kill`) and restart it on its disk queue about this often; 0: never. */
  appKillEveryMs: number;
  /** Longest each app may take to drain once the faults stop. */
  drainTimeoutMs: number;
  /** The servers: the real server on SQLite unless told otherwise. */
  backend?: StartBackend;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  plan: FaultPlan;
  wallMs: number;
  faults: FaultCounts;
  serverKills: number;
  appKills: number;
  server: ServerCounters;
  /** What the backend found wrong with what is stored besides the verdict (one contact per person). */
  storeProblems: string[];
  drivers: { name: string; tally: DriverTally; drain: DrainResult }[];
  verdict: Verdict;
}

export async function runChaos(options: ChaosRunOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const startedAt = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'weft-chaos-'));
  const plan = planFaults(options.seed, options.plan);
  const drivers = options.drivers({ workDir, seed: options.seed });
  let server: ChaosBackend | undefined;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>> | undefined;
  try {
    server = await (options.backend ?? sqliteBackend)(workDir);
    const lives = server;
    let t0 = Date.now();
    const decide = createFaultDecider(plan);
    proxy = await startFaultProxy({
      targetPort: lives.ports[0] as number,
      targetPorts: lives.ports,
      decide: () => decide(Date.now() - t0),
    });
    const gate = proxy;
    await Promise.all(drivers.map((driver) => driver.start(gate.url)));
    t0 = Date.now();
    log(
      `seed ${options.seed}: server, proxy and ${drivers.length} apps up after ${t0 - startedAt} ms; ` +
        `${plan.episodes.length} episodes over ${options.plan.durationMs} ms`,
    );

    const traffic = sendSteadily(drivers, options, t0 + options.plan.durationMs);
    const episodes = playEpisodes(plan, t0, {
      goAway: () => gate.goAway(),
      comeBack: () => gate.comeBack(),
      killServer: async () => gate.setTargets(await lives.killAndRestart()),
      log,
    });
    const appKills = killApps(drivers, options, t0 + options.plan.durationMs);
    const appKillCount = (await Promise.all([traffic, episodes, appKills]))[2];

    gate.stopFaults();
    await gate.comeBack();
    log(`faults over ${Date.now() - t0} ms after the apps started; draining`);
    const drains = await Promise.all(drivers.map((driver) => driver.drain(options.drainTimeoutMs)));
    const counters = await lives.counters();
    await lives.stop();
    const faults = gate.counts();
    await gate.close();
    const tallies = drivers.map((driver) => driver.tally());
    const verdict = judge(tallies, await lives.storedCounts());
    const storeProblems = await lives.storeProblems();
    return {
      seed: options.seed,
      plan,
      wallMs: Date.now() - startedAt,
      faults,
      serverKills: lives.kills,
      appKills: appKillCount,
      server: counters,
      storeProblems,
      drivers: drivers.map((driver, i) => ({
        name: driver.name,
        tally: tallies[i] as DriverTally,
        drain: drains[i] as DrainResult,
      })),
      verdict,
    };
  } finally {
    await Promise.all(drivers.map((driver) => driver.stop().catch(() => undefined)));
    await proxy?.close().catch(() => undefined);
    await server?.stop(5_000).catch(() => undefined);
    await server?.close().catch(() => undefined);
    // A server that failed to start (and so was never handed back) must not outlive the run.
    killStrayServers();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Every tick, each app makes its calls; a tick does not wait for the last one's calls to be accepted. */
async function sendSteadily(drivers: ChaosDriver[], options: ChaosRunOptions, until: number): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let tick = Date.now(); tick < until; tick += options.tickMs) {
    for (const driver of drivers) {
      const sent = driver.send(driver.eventsPerTick ?? options.eventsPerTick).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    await sleep(Math.max(0, tick + options.tickMs - Date.now()));
  }
  // Bounded: a call the app never confirms is released when the app dies, and apps are drained next.
  await Promise.race([Promise.all(inFlight), sleep(10_000, undefined, { ref: false })]);
}

interface EpisodeActions {
  goAway(): Promise<void>;
  comeBack(): Promise<void>;
  killServer(): Promise<void>;
  log(line: string): void;
}

/** Outages and kills at their planned times (status episodes the proxy applies by itself). */
async function playEpisodes(plan: FaultPlan, t0: number, actions: EpisodeActions): Promise<void> {
  for (const episode of plan.episodes) {
    if (episode.kind !== 'outage' && episode.kind !== 'server_kill') continue;
    await sleep(Math.max(0, t0 + episode.startMs - Date.now()));
    if (episode.kind === 'outage') {
      await actions.goAway();
      await sleep(Math.max(0, t0 + episode.endMs - Date.now()));
      await actions.comeBack();
    } else {
      const before = Date.now();
      await actions.killServer();
      actions.log(`server killed at ${before - t0} ms, back after ${Date.now() - before} ms`);
    }
  }
}

/** SIGKILLs apps that can be restarted, at seeded moments; resolves with how many kills. */
async function killApps(drivers: ChaosDriver[], options: ChaosRunOptions, until: number): Promise<number> {
  const killable = drivers.filter((driver) => driver.kill);
  if (options.appKillEveryMs <= 0 || killable.length === 0) return 0;
  const random = createSeededRandom(options.seed + 1);
  let kills = 0;
  for (;;) {
    const at = Date.now() + options.appKillEveryMs * (0.5 + random());
    // The last life gets time to run before the drain.
    if (at > until - options.appKillEveryMs / 2) return kills;
    await sleep(at - Date.now());
    const driver = killable[Math.floor(random() * killable.length)];
    await driver?.kill?.();
    kills++;
  }
}
