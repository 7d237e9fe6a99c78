/** Runs the minimal-schema ceiling (minimal-ceiling.ts) for a workload and prints JSON. */
import { batchesOf, type Workload } from './bench-events.js';
import { runMinimalCeiling } from './minimal-ceiling.js';

const [dbPath, workloadArg] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: minimal-ceiling-main.ts <db path> [plain|people|crm]');
const bodies = batchesOf((workloadArg ?? 'plain') as Workload, new Date().toISOString()).map((body) =>
  JSON.stringify(body),
);
process.stdout.write(`${JSON.stringify(runMinimalCeiling(dbPath, bodies, 100))}\n`);
