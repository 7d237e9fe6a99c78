/** One search filter compiled to SQL: the shape search-filters.ts and trait-filter.ts both build. */

export interface LiveIdSet {
  /** SELECT profile_id … of every match. */
  readonly select: string;
  /** True when `live.profile_id` is a match. */
  readonly probe: string;
}

export interface Compiled {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  /** The per-row form of `sql`, when it reads an index SQLite could drive a query from. */
  readonly probeSql?: string;
  /** The live contacts it matches, read from that index alone. */
  readonly liveIds?: LiveIdSet;
}

/** neq is the negation of eq, so it also matches contacts without the field. */
export function negate(sql: string): string {
  return `NOT coalesce(${sql}, 0)`;
}
