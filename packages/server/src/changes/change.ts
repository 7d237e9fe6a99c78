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
 * The sink of ingest, which may gather what one event's changes ask for until its event.stored
 * (the audience engine does): told when each event begins, so that nothing an event left half done
 * (its transaction rolled back) reaches the next one.
 */
export interface IngestChangeSink extends ChangeSink {
  beginEvent(): void;
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
