import { createIdentityCounters, type IdentityCounters } from '../identity/resolve-identity.js';
import { createPrivacyCounters, type PrivacyCounters } from '../privacy/privacy-counters.js';

/** The few numbers an operator needs, rendered in Prometheus text format without a client library. */
export interface Metrics {
  /** Counted by the identity resolver as it runs. */
  readonly identity: IdentityCounters;
  /** Counted by the privacy gate at ingest. */
  readonly privacy: PrivacyCounters;
  countEvents(outcome: 'accepted' | 'rejected' | 'deduplicated', n: number): void;
  observeRequest(route: string, status: number, seconds: number): void;
  /** One webhook attempt's outcome (webhooks/webhook-worker.ts). */
  countWebhookAttempt(endpointId: string, outcome: 'delivered' | 'retry' | 'failed'): void;
  render(gauges: {
    databaseBytes: number;
    commits: number;
    committedEvents: number;
    /** Members per audience id. */
    audienceMembers: ReadonlyMap<string, number>;
    /** Per webhook endpoint: changes not yet read into its queue, messages pending, the oldest's age. */
    webhookBacklog: readonly { endpointId: string; unread: number; pending: number; oldestPendingSeconds: number }[];
  }): string;
}

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export function createMetrics(): Metrics {
  const events = { accepted: 0, rejected: 0, deduplicated: 0 };
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const identity = createIdentityCounters();
  const privacy = createPrivacyCounters();
  const webhookAttempts = new Map<string, number>();

  return {
    identity,
    privacy,
    countEvents(outcome, n) {
      events[outcome] += n;
    },
    countWebhookAttempt(endpointId, outcome) {
      const key = `endpoint="${endpointId}",outcome="${outcome}"`;
      webhookAttempts.set(key, (webhookAttempts.get(key) ?? 0) + 1);
    },
    observeRequest(route, status, seconds) {
      const key = `route="${route}",status="${status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      let histogram = latency.get(route);
      if (!histogram) {
        histogram = { counts: latencyBuckets.map(() => 0), sum: 0, count: 0 };
        latency.set(route, histogram);
      }
      histogram.sum += seconds;
      histogram.count += 1;
      latencyBuckets.forEach((bound, i) => {
        if (seconds <= bound) histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
      });
    },
    render(gauges) {
      const lines = [
        ...metric('counter', 'weft_events_accepted_total', 'Events stored.', events.accepted),
        ...metric(
          'counter',
          'weft_events_rejected_total',
          'Events refused as invalid, too large or too deep.',
          events.rejected,
        ),
        ...metric(
          'counter',
          'weft_events_deduplicated_total',
          'Events acknowledged but not stored again: their messageId was known.',
          events.deduplicated,
        ),
        '# HELP weft_http_requests_total HTTP requests answered.',
        '# TYPE weft_http_requests_total counter',
        ...[...requests].map(([labels, n]) => `weft_http_requests_total{${labels}} ${n}`),
        '# HELP weft_http_request_duration_seconds Time from request start to response.',
        '# TYPE weft_http_request_duration_seconds histogram',
        ...[...latency].flatMap(([route, h]) => renderHistogram(route, h)),
        ...metric('gauge', 'weft_database_size_bytes', 'Database file plus write-ahead log.', gauges.databaseBytes),
        ...metric(
          'counter',
          'weft_ingest_commits_total',
          'Transactions that stored ingested events (group commits).',
          gauges.commits,
        ),
        ...metric(
          'counter',
          'weft_ingest_committed_events_total',
          'Events written by those transactions, duplicates included.',
          gauges.committedEvents,
        ),
        ...Object.entries(identityCounterHelp).flatMap(([key, [name, help]]) =>
          metric('counter', name, help, identity[key as keyof IdentityCounters]),
        ),
        ...metric(
          'counter',
          'weft_events_discarded_erased_total',
          'Events acknowledged and not stored: older than the erasure of one of their identifiers.',
          privacy.erasedDiscarded,
        ),
        ...metric(
          'counter',
          'weft_events_discarded_suppressed_total',
          'Events acknowledged and not stored: one of their identifiers is suppressed.',
          privacy.suppressedDiscarded,
        ),
        '# HELP weft_audience_members Contacts in each audience.',
        '# TYPE weft_audience_members gauge',
        ...[...gauges.audienceMembers].map(([id, n]) => `weft_audience_members{audience="${id}"} ${n}`),
        '# HELP weft_webhook_attempts_total Webhook attempts by outcome (delivered, retry, failed).',
        '# TYPE weft_webhook_attempts_total counter',
        ...[...webhookAttempts].map(([labels, n]) => `weft_webhook_attempts_total{${labels}} ${n}`),
        "# HELP weft_webhook_backlog Changes not yet read into an endpoint's queue, and messages pending in it.",
        '# TYPE weft_webhook_backlog gauge',
        ...gauges.webhookBacklog.flatMap((entry) => [
          `weft_webhook_backlog{endpoint="${entry.endpointId}",state="unread"} ${entry.unread}`,
          `weft_webhook_backlog{endpoint="${entry.endpointId}",state="pending"} ${entry.pending}`,
        ]),
        '# HELP weft_webhook_lag_seconds Age of the oldest message an endpoint has not yet been delivered.',
        '# TYPE weft_webhook_lag_seconds gauge',
        ...gauges.webhookBacklog.map(
          (entry) => `weft_webhook_lag_seconds{endpoint="${entry.endpointId}"} ${entry.oldestPendingSeconds}`,
        ),
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}

function renderHistogram(route: string, h: Histogram): string[] {
  const name = 'weft_http_request_duration_seconds';
  return [
    ...latencyBuckets.map((bound, i) => `${name}_bucket{route="${route}",le="${bound}"} ${h.counts[i] ?? 0}`),
    `${name}_bucket{route="${route}",le="+Inf"} ${h.count}`,
    `${name}_sum{route="${route}"} ${h.sum}`,
    `${name}_count{route="${route}"} ${h.count}`,
  ];
}

const identityCounterHelp: Record<keyof IdentityCounters, [string, string]> = {
  blockedValues: [
    'weft_identity_blocked_values_total',
    'Identifier values refused as placeholders (the events were stored).',
  ],
  merges: ['weft_identity_merges_total', 'Profiles merged into another.'],
  aliasesRefused: ['weft_identity_aliases_refused_total', 'Alias calls refused: both profiles already had a user_id.'],
  mergesCapped: [
    'weft_identity_merges_capped_total',
    'Merges not made because a profile reached its merge or identifier cap.',
  ],
  identifiersCapped: [
    'weft_identity_identifiers_capped_total',
    'Identifiers not added because a profile held the most allowed.',
  ],
  identifiersNotJoined: [
    'weft_identity_identifiers_not_joined_total',
    "Identifiers left out of resolution: the event's kind of write key may not join contacts on their type.",
  ],
};

/** One unlabelled metric in Prometheus text format. */
function metric(type: 'counter' | 'gauge', name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
}
