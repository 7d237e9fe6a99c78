/** One search filter compiled to SQL: the shape search-filters.ts and trait-filter.ts both build. */

/**
 * SELECT profile_id, last_seen_day … of every live contact a condition matches, read from the
 * trait index (migrations 010 and 012) alone. Other conditions may then be judged on each of its
 * rows, named `live`, through their `liveSql`.
 */
export type LiveIdSet = string;

export interface Compiled {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  /** The per-row form of `sql`, when it reads an index SQLite could drive a query from. */
  readonly probeSql?: string;
  /** The live contacts it matches, read from that index alone. */
  readonly liveIds?: LiveIdSet;
  /**
   * `sql` judged on a row `live` of a LiveIdSet (live.profile_id, live.last_seen_day), reading the
   * profile seldom or never, when the condition can be.
   */
  readonly liveSql?: string;
}

/** neq is the negation of eq, so it also matches contacts without the field. */
export function negate(sql: string): string {
  return `NOT coalesce(${sql}, 0)`;
}
