// pnpm bench:node — @weft/node against @segment/analytics-node, sending the same burst of track
// calls to the same Weft server (a child process on 127.0.0.1, temporary database) in the same run:
// Segment's client and ours at their defaults (a queue bounded at 10,000 events: a larger burst
// drops its oldest, reported), and ours with onFull: 'wait' (backpressure, nothing dropped). Each
// client runs in a process of its own, twice, alternating; the script checks that the server stored
// every event not reported dropped, once, and prints time to closeAndFlush and peak RSS, with ratios.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '@weft/server';
import { sourceNodeArgs } from '../support/node-sdk-source.js';
import { startServerProcess, testWriteKey } from '../support/server-process.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const client = fileURLToPath(new URL('./node-sdk-client.ts', import.meta.url));
const count = Number(process.env.BENCH_EVENTS ?? 20_000);
const rounds = 2;

interface Result {
  lib: string;
  callsMs: number;
  totalMs: number;
  peakRssMb: number;
  dropped: number;
}

const libs = ['segment', 'weft', 'weft-wait'] as const;
const labels: Record<(typeof libs)[number], string> = {
  segment: '@segment/analytics-node',
  weft: '@weft/node (defaults)',
  'weft-wait': "@weft/node (onFull: 'wait')",
};

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-node-'));
const dbPath = join(dir, 'weft.db');
const server = await startServerProcess(dbPath);
try {
  const results: Result[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const lib of libs) {
      const tag = `${lib}-${round}`;
      const { stdout } = await run(process.execPath, [...sourceNodeArgs, client], {
        cwd: repoRoot,
        timeout: 600_000,
        env: { ...process.env, LIB: lib, COUNT: String(count), RUN: tag, HOST: server.url, WRITE_KEY: testWriteKey },
      });
      results.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Result);
    }
  }
  const db = openDatabase(dbPath);
  const storedByLib = (lib: string) =>
    db
      .prepare("SELECT count(DISTINCT message_id) FROM events WHERE user_id GLOB ? || '-[0-9]-*'")
      .pluck()
      .get(lib) as number;
  const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
  const best = (lib: string) => {
    const runs = results.filter((result) => result.lib === lib);
    const min = (pick: (result: Result) => number) => Math.min(...runs.map(pick));
    return {
      totalMs: min((r) => r.totalMs),
      callsMs: min((r) => r.callsMs),
      peakRssMb: min((r) => r.peakRssMb),
      dropped: runs.reduce((sum, r) => sum + r.dropped, 0),
      stored: storedByLib(lib),
    };
  };
  const figures = Object.fromEntries(libs.map((lib) => [lib, best(lib)])) as Record<
    (typeof libs)[number],
    ReturnType<typeof best>
  >;
  db.close();

  console.log(
    `${fmt(count)} track calls per run, ${rounds} runs each (best time and RSS of each); node ${process.version}`,
  );
  console.log('');
  console.log('| client | calls (ms) | calls + closeAndFlush (ms) | peak RSS (MB) | stored | reported dropped |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const lib of libs) {
    const f = figures[lib];
    console.log(
      `| ${labels[lib]} | ${fmt(f.callsMs)} | ${fmt(f.totalMs)} | ${fmt(f.peakRssMb)} | ${fmt(f.stored)} of ${fmt(count * rounds)} | ${fmt(f.dropped)} |`,
    );
  }
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const wait = figures['weft-wait'];
  const segment = figures.segment;
  for (const lib of ['weft', 'weft-wait'] as const) {
    const f = figures[lib];
    console.log(
      `| ${labels[lib]} ÷ Segment | ${ratio(f.callsMs, segment.callsMs)} | ${ratio(f.totalMs, segment.totalMs)} | ${ratio(f.peakRssMb, segment.peakRssMb)} | | |`,
    );
  }
  // Every event is either stored once or was reported dropped: nothing vanished.
  const lost = libs.filter((lib) => lib !== 'segment' && figures[lib].stored + figures[lib].dropped !== count * rounds);
  if (lost.length > 0 || wait.dropped > 0) {
    console.error(`events unaccounted for: ${lost.join(', ') || "onFull 'wait' dropped some"}`);
    process.exitCode = 1;
  }
} finally {
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}
