import type { CredentialStore } from '../auth/credential-store.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { GroupCommitWriter } from './group-commit-writer.js';
import type { IngestLimits } from './limits.js';
import type { RateLimiter } from './rate-limit.js';

export interface IngestDeps {
  readonly writer: GroupCommitWriter;
  readonly credentials: CredentialStore;
  readonly now: () => number;
  readonly newMessageId: () => string;
  readonly limits: IngestLimits;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly rateLimiter?: RateLimiter | undefined;
}
