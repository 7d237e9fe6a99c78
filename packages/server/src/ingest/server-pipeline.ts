import type { IdentityRules } from '../identity/identity-rules.js';
import { createIdentityStep } from '../identity/identity-step.js';
import type { IdentityCounters } from '../identity/resolve-identity.js';
import type { PrivacyCounters } from '../privacy/privacy-counters.js';
import { createPrivacyGate } from '../privacy/privacy-gate.js';
import { type AfterCommit, createIngestPipeline, type IngestPipeline } from './pipeline.js';

export interface ServerPipelineOptions {
  readonly rules: IdentityRules;
  readonly counters: { readonly identity: IdentityCounters; readonly privacy: PrivacyCounters };
  readonly afterCommit?: readonly AfterCommit[];
  readonly onHookError?: (error: unknown) => void;
}

/**
 * The server's ingest pipeline: privacy decides whether an event is stored, identity attaches it to
 * its person. The server, the test app and the benchmarks all take it from here.
 */
export function createServerPipeline(options: ServerPipelineOptions): IngestPipeline {
  return createIngestPipeline({
    gates: [createPrivacyGate(options.rules, options.counters.privacy)],
    steps: [createIdentityStep(options.rules, options.counters.identity)],
    afterCommit: options.afterCommit,
    onHookError: options.onHookError,
    counters: [options.counters.identity, options.counters.privacy],
  });
}
