import type { ImportKey, ImportMode, ImportRow } from '../imports/import-rows.js';
import type { Page } from './contact-reads.js';
import type { ContactSort } from './contact-schemas.js';
import type { SearchBody, SearchPage } from './contact-search-spec.js';
import type { ProfileDetails, ProfileRow } from './contact-view.js';
import type { ContactPatch, NewContact, Note } from './contact-write-schemas.js';
import type { Cursor } from './cursor.js';

/** The row field each sort orders by, and so the key a cursor carries. */
export const contactSortColumns = {
  lastSeenAt: 'last_seen_at',
  firstSeenAt: 'first_seen_at',
  createdAt: 'created_at',
  email: 'contact_email',
} as const satisfies Record<string, keyof ProfileRow>;

/** The field a sort (`-` for descending) reads, and the type of its key in a cursor. */
export function sortKey(sort: ContactSort) {
  const column = contactSortColumns[(sort.startsWith('-') ? sort.slice(1) : sort) as keyof typeof contactSortColumns];
  return { column, keyType: column === 'contact_email' ? ('string' as const) : ('integer' as const) };
}

/**
 * What the contacts API needs from storage, engine-neutral: each method answers a promise, so that a
 * PostgreSQL store can sit behind it as the SQLite one does (storage/sqlite/contacts/). Rows come
 * back in the shapes of contact-view.ts, which turns them into the API's contacts.
 */

export interface EventRow {
  readonly id: number;
  readonly timestamp: number;
  readonly body: string;
}

export interface TimelineFilter {
  readonly type: string | undefined;
  readonly event: string | undefined;
}

export interface ContactQueries {
  profileById(id: number): Promise<ProfileRow | undefined>;
  profileByPublicId(publicId: string): Promise<ProfileRow | undefined>;
  profileByIdentifier(type: string, value: string): Promise<ProfileRow | undefined>;
  /** The profiles of `ids`, in that order (an id without a profile is left out). */
  profilesByIds(ids: readonly number[]): Promise<ProfileRow[]>;
  /** Identifiers, companies and merges of several profiles at once: three queries per page, not 3n. */
  detailsOf(ids: readonly number[]): Promise<Map<number, ProfileDetails>>;
  /**
   * Live contacts after the cursor in `sort` order; `q` a prefix of the email or the name, ASCII
   * case ignored (as LIKE does).
   */
  listContacts(
    sort: ContactSort,
    after: Cursor | undefined,
    q: string | undefined,
    limit: number,
  ): Promise<ProfileRow[]>;
  /**
   * The names of the traits whose current value a person set by an edit (not an event, an import or
   * a merge), in name order. An event's messageId that looks like an edit's does not count: the edit
   * it names must have set that trait.
   */
  editedTraits(profileId: number): Promise<string[]>;
  /** Events of a profile and of every profile merged into it, newest first. */
  timeline(profileId: number, filter: TimelineFilter, after: Cursor | undefined, limit: number): Promise<EventRow[]>;
}

export type CreateResult = { readonly created: number } | { readonly existingId: number };

export interface ContactWrites {
  /**
   * Applies a person's edit to the contact, in one transaction: to the one it was merged into if
   * that happened since it was looked up. False when it was erased meanwhile (nothing was done).
   */
  patch(profileId: number, patch: ContactPatch): Promise<boolean>;
  /** A profile made by hand with its identifiers, or the id of the profile already holding one. */
  create(input: NewContact): Promise<CreateResult>;
}

/** What an imported row did: made a contact, changed one, changed nothing, or could not be written. */
export type ImportOutcome = 'created' | 'updated' | 'unchanged' | { readonly error: string };

export interface ContactImports {
  /** Writes rows of one import in one transaction, an outcome per row in order (imports/). */
  importRows(
    rows: readonly ImportRow[],
    options: {
      readonly key: ImportKey;
      readonly mode: ImportMode;
      readonly importId: string;
      /** Most identifiers of a type, and in all, a contact may hold (the identity rules'). */
      readonly limitOf: (type: string) => number;
      readonly maxIdentifiers: number;
    },
  ): Promise<ImportOutcome[]>;
}

export interface NoteRow {
  readonly id: number;
  /** The public id of the profile the note was written on. */
  readonly contact_id: string;
  readonly body: string;
  readonly author: string | null;
  readonly created_at: number;
  readonly updated_at: number | null;
}

export interface NoteRequest {
  readonly limit: number;
  readonly cursor: string | undefined;
}

export interface ContactNotes {
  add(profileId: number, body: string, author: string | undefined): Promise<Note>;
  /** Notes of the profile and of every profile merged into it, newest first. */
  list(profileId: number, request: NoteRequest): Promise<Page<Note>>;
  /**
   * Replaces a note's text; undefined when the contact (with those merged into it) holds no such
   * note. The old text is overwritten in place (secure_delete), not kept as history.
   */
  edit(profileId: number, noteId: number, body: string): Promise<Note | undefined>;
}

/** `changed`: one of the two was merged away or erased after the caller looked it up (nothing was done). */
export type MergeOutcome = 'merged' | 'over_caps' | 'changed';

export interface ContactMerge {
  /** Merges the live profile `secondaryId` into the live profile `primaryId`, in one transaction. */
  merge(primaryId: number, secondaryId: number): Promise<MergeOutcome>;
}

export interface ContactSearch {
  search(body: SearchBody): Promise<SearchPage>;
}

/** Everything the contact routes use. */
export interface ContactStore {
  readonly queries: ContactQueries;
  readonly writes: ContactWrites;
  readonly notes: ContactNotes;
  readonly merges: ContactMerge;
  readonly search: ContactSearch;
  readonly imports: ContactImports;
}
