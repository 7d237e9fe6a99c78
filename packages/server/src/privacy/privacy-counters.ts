/** Events acknowledged at ingest and not stored, by why; rendered by ops/metrics.ts. */
export interface PrivacyCounters {
  /** Older than the erasure of one of their identifiers (a retry or a late arrival). */
  erasedDiscarded: number;
  /** One of their identifiers is suppressed. */
  suppressedDiscarded: number;
}

export function createPrivacyCounters(): PrivacyCounters {
  return { erasedDiscarded: 0, suppressedDiscarded: 0 };
}
