import type { Page } from '../contacts/contact-reads.js';
import type { Note } from '../contacts/contact-write-schemas.js';
import type { Identifier } from '../identity/identity-rules.js';

/** The privacy duties storage carries out (docs/privacy.md): erase, export, suppress. */

export interface ErasureSummary {
  readonly erasedAt: number;
  /** Profiles removed: the contact and those merged into it. */
  readonly profiles: number;
  readonly identifiers: number;
  readonly events: number;
  readonly notes: number;
  readonly suppressed: boolean;
}

export interface ContactEraser {
  /**
   * Erases a live profile and everything merged into it; suppresses its identifiers too if asked.
   * Resolves once no copy of the erased rows is left in the file or its write-ahead log; rejects
   * with ErasureNotFinal when the log could not be emptied in time (the rows are gone; their old
   * page copies stay in the log until a later checkpoint, which it keeps trying).
   */
  erase(profileId: number, options: { readonly suppress: boolean }): Promise<ErasureSummary>;
}

/** The erasure committed, but copies of the erased rows' old pages are still in the write-ahead log. */
export class ErasureNotFinal extends Error {
  override name = 'ErasureNotFinal';
}

export interface ContactExport {
  readonly exportedAt: string;
  readonly contact: Record<string, unknown>;
  readonly profileIds: string[];
  readonly notes: Note[];
  readonly edits: { id: string; contactId: string; editedAt: string; changes: unknown }[];
  readonly events: Record<string, unknown>[];
}

export interface ContactExporter {
  /**
   * Everything stored about a live profile and the profiles merged into it: the contact record as
   * the API shows it, then notes, edits and every event as stored, oldest first.
   */
  exportContact(profileId: number, contact: Record<string, unknown>, exportedAt: number): Promise<ContactExport>;
}

/** A suppressed identifier, as listed: its type and keyed hash, never its value. */
export interface Suppression {
  readonly type: string;
  readonly hash: string;
  readonly suppressedAt: string;
}

export interface Suppressions {
  /** Oldest first. */
  list(request: { readonly limit: number; readonly cursor?: string | undefined }): Promise<Page<Suppression>>;
  /** False when the identifier was not suppressed. */
  lift(identifier: Identifier): Promise<boolean>;
}

export interface PrivacyStore {
  readonly eraser: ContactEraser;
  readonly exporter: ContactExporter;
  readonly suppressions: Suppressions;
}
