import { describe, expect, it } from 'vitest';
import type { ContactImports } from '../contacts/contact-store.js';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteImportJobStore } from '../storage/sqlite/sqlite-import-job-store.js';
import { answeredAsync } from '../storage/sqlite/synchronous.js';
import type { ImportJobStore } from './import-job-store.js';
import { createImportJobs, staleImportMs } from './import-jobs.js';

/** Row writes the test lets through one slice at a time. */
function gatedImports() {
  const gates: (() => void)[] = [];
  const imports = {
    importRows: (rows: readonly unknown[]) =>
      new Promise((resolve) => gates.push(() => resolve(rows.map(() => 'created' as const)))),
  } as unknown as ContactImports;
  const release = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    (gates.shift() as () => void)();
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { imports, release };
}

const lines = Array.from({ length: 4 }, (_, index) => ({ line: index + 2, cells: [`p${index}@example.com`] }));
const settings = { key: 'email' as const, mode: 'upsert' as const, mapping: { email: 'email' } };

describe('import jobs across servers', () => {
  it('answer on any server for an import another runs, and call one cut off by a crash failed', async () => {
    const store: ImportJobStore = answeredAsync(createSqliteImportJobStore(openDatabase(':memory:')));
    const clock = { time: 1_000_000 };
    const options = { store, rules: DEFAULT_IDENTITY_RULES, lifecycleStages: [], now: () => clock.time, sliceRows: 2 };
    const running = gatedImports();
    const a = createImportJobs({ ...options, imports: running.imports });
    const b = createImportJobs({ ...options, imports: gatedImports().imports });
    const job = await a.start(['email'], lines, settings);
    await running.release();
    expect(await b.get(job.id)).toMatchObject({ status: 'running', processed: 2, created: 2 });
    expect((await b.list()).map((listed) => listed.id)).toEqual([job.id]);
    await running.release();
    expect(await b.get(job.id)).toMatchObject({ status: 'done', processed: 4, created: 4 });

    // Another import stops mid-way: its server was killed. A minute later it shows as failed.
    clock.time += 1_000;
    const cut = gatedImports();
    const c = createImportJobs({ ...options, imports: cut.imports });
    const stopped = await c.start(['email'], lines, settings);
    await cut.release();
    expect(await b.get(stopped.id)).toMatchObject({ status: 'running', processed: 2 });
    clock.time += staleImportMs;
    expect(await b.get(stopped.id)).toMatchObject({
      status: 'failed',
      failure: expect.stringContaining('stopped before it finished'),
    });
    expect((await b.list()).map((listed) => [listed.id, listed.status])).toEqual([
      [stopped.id, 'failed'],
      [job.id, 'done'],
    ]);
  });
});
