// The chaos test on PostgreSQL (issue #21): two Weft servers (the real one, `weft-server serve`) on one
// PostgreSQL, the fault proxy in front dealing connections to both in turn, two @weft/node apps
// sending through it, and each planned server kill SIGKILLing one node (in turn) and starting it
// again. Every event an app was told was accepted must be stored exactly once, none dropped; each
// person (the apps' 50 userIds, shared by both apps and so by both nodes) must be one contact
// holding every event sent as them; and every change the webhook endpoint subscribes to must reach
// its receiver, each contact's in feed order, whichever node held the endpoint when it was killed.
// Audiences and computed traits must count every stored event once, on either server.
import { describe, expect, it } from 'vitest';
import { killStrayServers } from '../support/server-process.js';
import { chaosRunOptions } from './chaos-profile.js';
import { describeFailure, formatSummary } from './format-summary.js';
import { postgresBackend } from './postgres-backend.js';
import { runChaos } from './run-chaos.js';

describe('chaos on PostgreSQL: two nodes, one killed at a time', () => {
  it('stores every accepted event once, each person as one contact, and delivers every change to the webhook, through faults and kills of either node', {
    timeout: 150_000,
  }, async () => {
    try {
      const options = chaosRunOptions({
        seed: 21,
        durationMs: 40_000,
        nodeApps: 2,
        browsers: 0,
        log: (line) => console.log(line),
      });
      const report = await runChaos({
        ...options,
        // Kills are the point here: most episodes, so that both nodes go down, one of them twice.
        plan: { ...options.plan, episodeDeck: ['server_kill', 'server_kill', 'server_kill', 'status_503', 'outage'] },
        backend: postgresBackend(2, { webhooks: true }),
      });
      console.log(formatSummary(report));
      if (!report.verdict.isPass) console.log(describeFailure(report));
      const { verdict } = report;
      expect(verdict.accepted).toBeGreaterThan(2_000);
      // Kills alternate between the nodes: both went down, one of them at least twice.
      expect(report.serverKills).toBeGreaterThanOrEqual(3);
      expect(report.appKills).toBeGreaterThan(0);
      expect(report.faults.injected.cut_response).toBeGreaterThan(0);
      // The promise, across two servers.
      expect(verdict.missing).toEqual([]);
      expect(verdict.duplicated).toEqual([]);
      expect(verdict.dropped).toEqual([]);
      expect(verdict.deliveredNotStored).toEqual([]);
      expect(verdict.unexplained).toEqual([]);
      expect(report.storeProblems).toEqual([]);
      expect(report.drivers.map(({ drain }) => drain)).toEqual(
        report.drivers.map(() => ({ isComplete: true, pending: 0 })),
      );
    } finally {
      killStrayServers();
    }
  });
});
