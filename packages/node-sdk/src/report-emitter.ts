import type { DeliveryReport } from '@weft/core';

export type DeliveredReport = Extract<DeliveryReport, { type: 'delivered' }>;
export type RetryReport = Extract<DeliveryReport, { type: 'retry' }>;
export type DroppedReport = Extract<DeliveryReport, { type: 'dropped' }>;
export type ErrorReport = Extract<DeliveryReport, { type: 'error' }>;

export interface AnalyticsReports {
  delivered: DeliveredReport;
  retry: RetryReport;
  dropped: DroppedReport;
  error: ErrorReport;
}

export type ReportName = keyof AnalyticsReports;

/**
 * A minimal emitter. Unlike Node's EventEmitter, an 'error' with no listener is not thrown: it
 * reports something that lost nothing, and must not crash the app. Segment-only names
 * ('http_request', 'drained'…) are accepted at run time and never emitted, so a script written
 * for Segment still runs.
 */
export class ReportEmitter {
  private readonly listeners = new Map<string, Set<(report: never) => void>>();

  on<K extends ReportName>(name: K, listener: (report: AnalyticsReports[K]) => void): this {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as (report: never) => void);
    return this;
  }

  off<K extends ReportName>(name: K, listener: (report: AnalyticsReports[K]) => void): this {
    this.listeners.get(name)?.delete(listener);
    return this;
  }

  protected emit<K extends ReportName>(name: K, report: AnalyticsReports[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as (report: AnalyticsReports[K]) => void)(report);
      } catch {}
    }
  }
}
