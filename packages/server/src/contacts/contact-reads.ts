import type { AudienceStore } from '../audiences/audience-store.js';
import type { ComputedTraitStore } from '../audiences/computed-trait-store.js';
import { ApiError } from '../http/api-error.js';
import { parseContactRef } from './contact-ref.js';
import type { Contact, ContactSort } from './contact-schemas.js';
import { type ContactQueries, type EventRow, sortKey, type TimelineFilter } from './contact-store.js';
import type { ProfileRow } from './contact-view.js';
import { noDetails, toContact } from './contact-view.js';
import type { CursorCodec } from './cursor.js';

/** The live profile a ref names, and the merged-away id the ref named on the way, if any. */
export interface FoundProfile {
  readonly row: ProfileRow;
  readonly mergedFrom: string | undefined;
}

export interface Page<T> {
  readonly data: T[];
  readonly nextCursor: string | null;
}

const timelineSort = 'timeline';

export async function findProfile(queries: ContactQueries, ref: string): Promise<FoundProfile> {
  const parsed = parseContactRef(ref);
  if (!parsed) {
    throw new ApiError(400, 'invalid_request', 'ref: expected a contact id (ct_…) or type:value, such as user_id:42');
  }
  if (parsed.kind === 'retired_id') {
    throw new ApiError(
      400,
      'invalid_request',
      'ref: numeric contact ids are retired, as one could come to name another person; use the contact id (ct_…) or type:value',
    );
  }
  const row =
    parsed.kind === 'id'
      ? await queries.profileByPublicId(parsed.id)
      : await queries.profileByIdentifier(parsed.type, parsed.value);
  if (!row) throw new ApiError(404, 'contact_not_found', `no contact matches ${ref}`);
  if (row.merged_into === null) return { row, mergedFrom: undefined };
  // merged_into always names the live survivor (identity keeps it current through chains).
  const survivor = await queries.profileById(row.merged_into);
  if (!survivor) throw new Error(`profile ${row.id} is merged into ${row.merged_into}, which does not exist`);
  return { row: survivor, mergedFrom: row.public_id };
}

export async function readContact(queries: ContactQueries, found: FoundProfile): Promise<Contact> {
  const details = await queries.detailsOf([found.row.id]);
  const contact = toContact(found.row, details.get(found.row.id) ?? noDetails);
  return found.mergedFrom === undefined ? contact : { ...contact, mergedFrom: found.mergedFrom };
}

/** What a whole contact is read from: the contact, its audiences and its computed traits. */
export interface WholeContactSources {
  readonly queries: ContactQueries;
  readonly audiences: Pick<AudienceStore, 'audiencesOf'>;
  readonly computedTraits: Pick<ComputedTraitStore, 'valuesOf'>;
}

/** One contact as the single-contact routes and the contact page show it: with its audiences and computed traits. */
export async function readWholeContact(sources: WholeContactSources, found: FoundProfile): Promise<Contact> {
  const audiences = (await sources.audiences.audiencesOf(found.row.id)).map((audience) => ({
    id: audience.id,
    name: audience.name,
    enteredAt: new Date(audience.enteredAt).toISOString(),
    backfill: audience.isBackfill,
  }));
  const computedTraits = await sources.computedTraits.valuesOf(found.row.id);
  return { ...(await readContact(sources.queries, found)), audiences, computedTraits };
}

export interface ListRequest {
  readonly sort: ContactSort;
  readonly limit: number;
  readonly cursor: string | undefined;
  readonly q: string | undefined;
}

export async function listContacts(
  queries: ContactQueries,
  cursors: CursorCodec,
  request: ListRequest,
): Promise<Page<Contact>> {
  const { column, keyType } = sortKey(request.sort);
  const after = request.cursor === undefined ? undefined : cursors.read(request.cursor, request.sort, keyType);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await queries.listContacts(request.sort, after, request.q, request.limit + 1);
  const page = rows.slice(0, request.limit);
  const details = await queries.detailsOf(page.map((row) => row.id));
  const last = page.at(-1);
  return {
    data: page.map((row) => toContact(row, details.get(row.id) ?? noDetails)),
    nextCursor:
      rows.length > request.limit && last
        ? cursors.encode({ sort: request.sort, key: last[column] as string | number, id: last.id })
        : null,
  };
}

export interface TimelineRequest extends TimelineFilter {
  readonly limit: number;
  readonly cursor: string | undefined;
}

export async function readTimeline(
  queries: ContactQueries,
  cursors: CursorCodec,
  profileId: number,
  request: TimelineRequest,
): Promise<Page<Record<string, unknown>>> {
  const after = request.cursor === undefined ? undefined : cursors.read(request.cursor, timelineSort, 'integer');
  const rows: EventRow[] = await queries.timeline(profileId, request, after, request.limit + 1);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    // Stored bodies are JSON we wrote; parsing them keeps the answer one JSON document.
    data: page.map((row) => JSON.parse(row.body) as Record<string, unknown>),
    nextCursor:
      rows.length > request.limit && last
        ? cursors.encode({ sort: timelineSort, key: last.timestamp, id: last.id })
        : null,
  };
}
