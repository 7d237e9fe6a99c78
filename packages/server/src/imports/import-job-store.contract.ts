// The contract every ImportJobStore keeps (imports/import-job-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { OpenIngestWith } from '../storage/store-harness.contract.js';
import type { ImportJobStore } from './import-job-store.js';
import { newImportJob } from './import-jobs.js';

const job = (id: string, startedAt: number) =>
  newImportJob(id, ['email'], 3, { key: 'email', mode: 'upsert', fileName: 'people.csv' }, startedAt);

export function testImportJobStoreContract(open: OpenIngestWith<{ readonly importJobs: ImportJobStore }>): void {
  describe('ImportJobStore contract', () => {
    it('keeps each job as last saved, its problems only when asked, the newest kept and listed first', async () => {
      const harness = await open();
      const { importJobs } = harness.store;
      const first = job('imp_1', 1_000);
      await importJobs.save(first, { heartbeatAt: 1_000, withProblems: true, keep: 2 });
      first.processed = 2;
      first.problems.push({ line: 2, message: 'email: not an email', cells: ['x'] });
      first.problemCount = 1;
      await importJobs.save(first, { heartbeatAt: 2_000, withProblems: false, keep: 2 });
      expect(await importJobs.get('imp_1')).toEqual({
        job: { ...first, problems: [], problemCount: 1 },
        heartbeatAt: 2_000,
      });
      first.status = 'done';
      await importJobs.save(first, { heartbeatAt: 3_000, withProblems: true, keep: 2 });
      expect((await importJobs.get('imp_1'))?.job).toEqual(first);
      await importJobs.save(job('imp_2', 4_000), { heartbeatAt: 4_000, withProblems: true, keep: 2 });
      await importJobs.save(job('imp_3', 5_000), { heartbeatAt: 5_000, withProblems: true, keep: 2 });
      expect((await importJobs.list(10)).map((stored) => stored.job.id)).toEqual(['imp_3', 'imp_2']);
      expect(await importJobs.get('imp_1')).toBeUndefined();
      await harness.close();
    });
  });
}
