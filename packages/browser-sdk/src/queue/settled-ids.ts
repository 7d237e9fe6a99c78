import type { DeliveryReport } from '@weft/core';

/** The messageIds this tab saw delivered or dropped, so a claim can never bring one back. */
export interface SettledIds {
  /** Notes the ids a `delivered` or `dropped` report settled; ignores other reports. */
  note(report: DeliveryReport | { type: string }): void;
  has(id: string): boolean;
}

// 10,000 ids (under 1 MB): more than a tab's whole queue (1,000 by default) many times over.
const DEFAULT_LIMIT = 10_000;

/**
 * A record can come back to the store after this tab settled it: another tab that claimed it
 * while this one was throttled writes its retry counts back, or this tab's delete is still
 * queued. Claiming it again would send, and report, the event a second time.
 */
export function createSettledIds(limit = DEFAULT_LIMIT): SettledIds {
  const ids = new Set<string>();
  return {
    note(report) {
      const entry = report as DeliveryReport;
      const settled =
        entry.type === 'delivered'
          ? entry.messageIds
          : entry.type === 'dropped'
            ? entry.events.map((event) => event.messageId)
            : [];
      for (const id of settled) {
        ids.add(id);
        // A Set iterates in insertion order: the first id is the oldest.
        if (ids.size > limit) ids.delete(ids.values().next().value as string);
      }
    },
    has: (id) => ids.has(id),
  };
}
