import type { JsonObject } from '@weft/core';

/** Who the visitor is, as a store keeps it. */
export interface StoredIdentity {
  anonymousId?: string | undefined;
  /** The user id. */
  id?: string | undefined;
  traits?: JsonObject | undefined;
  groupId?: string | undefined;
  groupTraits?: JsonObject | undefined;
  /**
   * When this identity was last changed (epoch ms, made to grow by at least 1 per change): the
   * newest one wins across stores. 0 for what was written before generations (and analytics.js's).
   */
  generation: number;
}

/**
 * Picks the visitor from what each store holds. `local` (localStorage, or the identity in memory)
 * and `durable` (IndexedDB, which survives a crash) hold the whole identity; the newer wins, and
 * `durable` on a tie. The cookie (which subdomains share) holds only the anonymousId: it wins when
 * it is at least as new; when it is strictly newer and names another visitor (a `reset` on another
 * subdomain), the user and group are forgotten too. So a stale cookie cannot bring back a visitor
 * that a later `reset` replaced.
 */
export function resolveIdentity(
  cookie: StoredIdentity | undefined,
  local: StoredIdentity | undefined,
  durable: StoredIdentity | undefined,
): StoredIdentity | undefined {
  const full = durable && (!local || durable.generation >= local.generation) ? durable : local;
  if (!cookie?.anonymousId) return full;
  if (!full || (cookie.generation > full.generation && cookie.anonymousId !== full.anonymousId)) {
    return { anonymousId: cookie.anonymousId, generation: cookie.generation };
  }
  return {
    ...full,
    // The cookie's when it is at least as new, or when the record has none.
    anonymousId: (cookie.generation < full.generation && full.anonymousId) || cookie.anonymousId,
    generation: Math.max(cookie.generation, full.generation),
  };
}

/** The generation of a change made now: the time, or one more than the last where the clock went back. */
export function nextGeneration(last: number, now: number): number {
  return Math.max(now, last + 1);
}
