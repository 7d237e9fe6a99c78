// The chaos test (issue #8), CI length: about a minute of faults between the SDKs (two @weft/node
// apps, one @weft/browser tab in headless Chromium) and the real server — connections cut
// mid-request and mid-response, answers held past the timeout, 500 / 503 / 429 stretches, the
// proxy gone, the server and the apps SIGKILLed — then every event an app was told was accepted
// must be stored exactly once, and none reported dropped. The longer run: pnpm bench:chaos.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBrowserSdkBuild } from '../support/browser-sdk-build.js';
import { killStrayServers } from '../support/server-process.js';
import { chaosRunOptions } from './chaos-profile.js';
import { describeFailure, formatSummary } from './format-summary.js';
import { runChaos } from './run-chaos.js';

// Building weft.min.js (when stale) is not part of the run's time bound.
beforeAll(() => ensureBrowserSdkBuild(), 300_000);

describe('chaos: faults between the SDKs and the server', () => {
  it('stores every accepted event exactly once and drops none, through cuts, delays, errors, outages and kills', {
    timeout: 180_000,
  }, async () => {
    try {
      const report = await runChaos(chaosRunOptions({ seed: 8, durationMs: 50_000, log: (line) => console.log(line) }));
      console.log(formatSummary(report));
      if (!report.verdict.isPass) console.log(describeFailure(report));
      const { verdict } = report;
      // The run did what it claims: traffic, faults of every kind, kills, resends absorbed.
      expect(verdict.accepted).toBeGreaterThan(2_000);
      const planned = new Set(report.plan.episodes.map((episode) => episode.kind));
      expect([...planned].sort()).toEqual(['outage', 'server_kill', 'status_429', 'status_500', 'status_503']);
      const { injected } = report.faults;
      // Dealt by request count, so each comes up in any 50 requests between episodes.
      for (const kind of ['cut_request', 'cut_response', 'delay_request', 'delay_response'] as const) {
        expect(injected[kind], kind).toBeGreaterThan(0);
      }
      // A status episode can pass while every app waits out a backoff; all of them cannot.
      expect(injected.status_500 + injected.status_503 + injected.status_429).toBeGreaterThan(0);
      expect(injected.outage).toBeGreaterThan(0);
      expect(report.serverKills).toBeGreaterThan(0);
      expect(report.appKills).toBeGreaterThan(0);
      expect(report.server.deduplicated).toBeGreaterThan(0);
      // The promise.
      expect(verdict.missing).toEqual([]);
      expect(verdict.duplicated).toEqual([]);
      expect(verdict.dropped).toEqual([]);
      expect(verdict.deliveredNotStored).toEqual([]);
      expect(verdict.unexplained).toEqual([]);
      expect(report.drivers.map(({ drain }) => drain)).toEqual(
        report.drivers.map(() => ({ isComplete: true, pending: 0 })),
      );
    } finally {
      killStrayServers();
    }
  });
});
