// pnpm bench:chaos [--minutes 10] [--seed 2026] [--node-apps 2] [--browsers 1] — the long chaos
// run (issue #8): the CI test's faults, server kills and app kills for as many minutes as asked,
// then the same verdict and summary. Figures in docs/reliability.md. Exits 1 if any accepted event
// was lost, stored twice or reported dropped.
import { parseArgs } from 'node:util';

// The script runs with plain tsx: resolve @weft/* to their sources before importing the harness.
await import('../support/node-sdk-source-hooks.js');
const { chaosRunOptions } = await import('../chaos/chaos-profile.js');
const { describeFailure, formatSummary } = await import('../chaos/format-summary.js');
const { runChaos } = await import('../chaos/run-chaos.js');
const { killStrayServers } = await import('../support/server-process.js');

// A crash must not leave servers behind (the apps end themselves when this process goes).
process.on('uncaughtException', (error) => {
  killStrayServers();
  console.error(error);
  process.exit(1);
});

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string', default: '2026' },
    'node-apps': { type: 'string', default: '2' },
    browsers: { type: 'string', default: '1' },
  },
});
const minutes = Number(values.minutes);
const seed = Number(values.seed);
if (!(minutes > 0) || !Number.isInteger(seed)) throw new Error('usage: --minutes <positive number> --seed <integer>');

const report = await runChaos(
  chaosRunOptions({
    seed,
    durationMs: Math.round(minutes * 60_000),
    nodeApps: Number(values['node-apps']),
    browsers: Number(values.browsers),
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  }),
);
console.log(formatSummary(report));
if (!report.verdict.isPass) {
  console.log(describeFailure(report));
  process.exitCode = 1;
}
