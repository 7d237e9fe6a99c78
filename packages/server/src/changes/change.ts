import type { CountedEvent } from '../audiences/event-metric.js';

/** The kinds of change the feed carries (docs/changes.md). */
export const changeTypes = [
  'contact.created',
  'contact.updated',
  'contact.merged',
  'contact.deleted',
  'contact.identified',
  'company.updated',
  'event.stored',
  'audience.entered',
  'audience.exited',
] as const;
export type ChangeType = (typeof changeTypes)[number];

/** A change as a write records it, inside the transaction that makes it. */
export interface NewChange {
  readonly type: ChangeType;
  /** The profile it concerns: erasure removes its changes by it. Null for a company's. */
  readonly profileId: number | null;
  /** The contact id the API shows for that profile. */
  readonly contactId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * For event.stored, the event itself, for what reacts to changes inside the transaction (audience
   * metrics count it): not stored with the change.
   */
  readonly event?: CountedEvent;
}

/** Where writes put their changes: the change table, in the same transaction (synchronous). */
export interface ChangeSink {
  record(change: NewChange): void;
}

/**
 * The sink of ingest, which may gather what a transaction's changes ask for and act on it once,
 * before the commit (the audience engine does: a contact with several events in one batch is
 * evaluated once). Told when a transaction begins, so that nothing a rolled-back one gathered
 * reaches the next; when each event begins; and when the transaction's events are all written.
 */
export interface IngestChangeSink extends ChangeSink {
  beginUnit(): void;
  beginEvent(): void;
  /** Inside the transaction, after its last event: what was gathered is acted on now. */
  endUnit(): void;
}

/** A change as the feed answers it. */
export interface Change {
  /** Stable across reads, so that a consumer can skip one it has seen. */
  readonly id: string;
  readonly type: ChangeType;
  readonly contactId: string | null;
  /** When it was committed. */
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A change as stored: `seq` orders the feed (every change of a contact after its earlier ones). */
export interface StoredChange {
  readonly seq: number;
  readonly type: ChangeType;
  readonly contactId: string | null;
  readonly at: number;
  readonly data: string;
}

export function toChange(stored: StoredChange): Change {
  return {
    id: `ch_${stored.seq}`,
    type: stored.type,
    contactId: stored.contactId,
    at: new Date(stored.at).toISOString(),
    data: JSON.parse(stored.data) as Record<string, unknown>,
  };
}

/** Old and new value of each trait (or field) that changed; unchanged ones are left out. */
export type ValueChanges = Record<string, { readonly old: unknown; readonly new: unknown }>;

/** What changed between two records of plain values, compared as JSON. */
export function valueChanges(before: Record<string, unknown>, after: Record<string, unknown>): ValueChanges {
  const changes: ValueChanges = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = Object.hasOwn(before, key) ? before[key] : undefined;
    const now = Object.hasOwn(after, key) ? after[key] : undefined;
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[key] = { old: old ?? null, new: now ?? null };
  }
  return changes;
}
