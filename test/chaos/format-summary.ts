import type { ChaosReport } from './run-chaos.js';

/** The run's figures as the lines the test and the bench print (and docs/reliability.md quotes). */
export function formatSummary(report: ChaosReport): string {
  const { verdict, faults } = report;
  const injected = Object.entries(faults.injected)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const totalInjected = Object.values(faults.injected).reduce((sum, count) => sum + count, 0);
  const retries = report.drivers.reduce((sum, { tally }) => sum + tally.retries, 0);
  const highestAttempt = Math.max(0, ...report.drivers.map(({ tally }) => tally.highestAttempt));
  const lines = [
    `chaos run, seed ${report.seed}: ${(report.plan.options.durationMs / 1000).toFixed(0)} s of faults, ${(report.wallMs / 1000).toFixed(1)} s wall time`,
    `events accepted by the apps:   ${verdict.accepted}`,
    `events stored (distinct ids):  ${verdict.stored}` +
      (verdict.unconfirmed.length > 0
        ? ` (${verdict.unconfirmed.length} written to a killed app's disk queue before it could confirm)`
        : ''),
    `requests through the proxy:    ${faults.requests} (${faults.relayed} answered whole by the server, ${faults.upstreamFailures} unanswered: server down or killed)`,
    `episodes played:               ${episodes(report)}`,
    `faults injected:               ${totalInjected} (${injected})`,
    `server kills (SIGKILL):        ${report.serverKills}`,
    `app kills (SIGKILL):           ${report.appKills}`,
    `events lost:                   ${verdict.missing.length}`,
    `events stored twice:           ${verdict.duplicated.length}`,
    `events reported dropped:       ${verdict.dropped.length}${dropCodes(report)}`,
    `resends absorbed by dedupe:    ${report.server.deduplicated} (server counter summed over lives, at least)`,
    `SDK retries reported:          ${retries}, highest attempt ${highestAttempt} (the budget: ${maxAttemptsNote})`,
    `retries by attempt number:     ${retriesByAttempt(report)}`,
    ...report.drivers.map(
      ({ name, tally, drain }) =>
        `  ${name}: accepted ${tally.accepted.length}, delivered ${new Set(tally.delivered).size}, dropped ${tally.dropped.length}, retries ${tally.retries}, kills ${tally.kills}, drain ${drain.isComplete ? 'complete' : `incomplete (${drain.pending} pending)`}${tally.errors.length > 0 ? `, errors: ${tally.errors.slice(0, 3).join('; ')}` : ''}`,
    ),
    `verdict: ${verdict.isPass ? 'PASS' : 'FAIL'}`,
  ];
  return lines.join('\n');
}

// The defaults bound retries by an event's age (24 h), not by attempts.
const maxAttemptsNote = 'none, retried until 24 h old';

function dropCodes(report: ChaosReport): string {
  const codes = new Map<string, number>();
  for (const { code } of report.verdict.dropped) codes.set(code, (codes.get(code) ?? 0) + 1);
  return codes.size === 0 ? '' : ` (${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')})`;
}

function episodes(report: ChaosReport): string {
  const counts = new Map<string, number>();
  for (const { kind } of report.plan.episodes) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
}

function retriesByAttempt(report: ChaosReport): string {
  const counts = new Map<number, number>();
  for (const { tally } of report.drivers) {
    for (const [attempt, n] of Object.entries(tally.retriesByAttempt)) {
      counts.set(Number(attempt), (counts.get(Number(attempt)) ?? 0) + n);
    }
  }
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([attempt, n]) => `#${attempt}: ${n}`)
    .join(', ');
}

/** For a failed run: which events went wrong, grouped by app life (`<app>-<life>`), with a few ids. */
export function describeFailure(report: ChaosReport): string {
  const { missing, duplicated, dropped, deliveredNotStored, unexplained } = report.verdict;
  const byLife = (ids: string[]) => {
    const lives = new Map<string, string[]>();
    for (const id of ids) {
      const life = id.replace(/-\d+$/, '');
      lives.set(life, [...(lives.get(life) ?? []), id]);
    }
    return [...lives]
      .map(([life, lifeIds]) => `${life}: ${lifeIds.length} (${lifeIds.slice(0, 3).join(', ')}…)`)
      .join('; ');
  };
  return [
    `missing by life: ${byLife(missing)}`,
    `duplicated: ${duplicated
      .slice(0, 5)
      .map(({ messageId, count }) => `${messageId}×${count}`)
      .join(', ')}`,
    `dropped by life: ${byLife(dropped.map(({ messageId }) => messageId))}`,
    `delivered, not stored: ${byLife(deliveredNotStored)}`,
    `stored, never sent: ${byLife(unexplained)}`,
    ...report.drivers.map(
      ({ name, drain, tally }) =>
        `${name}: drain ${JSON.stringify(drain)}, lives killed ${tally.killedLives.join(' ')}, errors ${tally.errors.slice(0, 5).join(' | ')}`,
    ),
  ].join('\n');
}
