import type { CursorCodec } from '../contacts/cursor.js';
import { type Change, type ChangeType, toChange } from './change.js';
import type { ChangeStore } from './change-store.js';

/** A position in the feed: the seq of the last change read (0 before the first). */
export type FeedPosition = number;

/** The cursors the feed hands out: a position, signed like every cursor of the API. */
export interface FeedCursors {
  encode(position: FeedPosition): string;
  /** Answers 400 invalid_cursor for a text this server did not issue. */
  read(text: string): FeedPosition;
}

const feedSort = 'changes';

export function createFeedCursors(codec: CursorCodec): FeedCursors {
  return {
    encode: (position) => codec.encode({ sort: feedSort, key: position, id: 1 }),
    read: (text) => codec.read(text, feedSort, 'integer').key as number,
  };
}

/** The cursor is older than what the feed still keeps: the consumer may have missed changes. */
export class CursorExpired extends Error {
  override name = 'CursorExpired';
}

export interface FeedRequest {
  readonly after: FeedPosition;
  readonly limit: number;
  readonly types?: readonly ChangeType[] | undefined;
}

export interface FeedPage {
  readonly changes: (Change & { readonly position: FeedPosition })[];
  /** Where the next read starts: after the last change answered, or where this one started. */
  readonly position: FeedPosition;
  readonly hasMore: boolean;
}

/**
 * One page of the feed after `after`, in seq order (so every change of a contact after its earlier
 * ones). A position pruning has passed for the types asked for throws CursorExpired: never a
 * silent gap.
 */
export async function readFeed(store: ChangeStore, request: FeedRequest): Promise<FeedPage> {
  const horizons = await store.horizons();
  const wantsEvents = request.types === undefined || request.types.includes('event.stored');
  const wantsContacts = request.types === undefined || request.types.some((type) => type !== 'event.stored');
  if ((wantsEvents && request.after < horizons.events) || (wantsContacts && request.after < horizons.contacts)) {
    throw new CursorExpired(
      `cursor: the feed no longer keeps changes from that far back (retention); resynchronise: GET /v1/changes/head, ` +
        'then read every contact (GET /v1/contacts), then the feed after the head cursor',
    );
  }
  const wanted = request.limit + 1;
  const changes: FeedPage['changes'] = [];
  let after = request.after;
  let read = 0;
  // In slices, with a turn of the event loop between them: a consumer catching up reads page after
  // page of 1,000, and one block of that size held ingest's requests for tens of milliseconds.
  for (;;) {
    const asked = Math.min(feedSliceRows, wanted - read);
    const slice = await store.read({ after, limit: asked, types: request.types });
    read += slice.length;
    after = slice.at(-1)?.seq ?? after;
    for (const row of slice) if (changes.length < request.limit) changes.push({ ...toChange(row), position: row.seq });
    if (slice.length < asked || read >= wanted) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    changes,
    position: changes.at(-1)?.position ?? request.after,
    hasMore: read > request.limit,
  };
}

/** Changes read at once: a few milliseconds of work, so ingest waits no longer behind a reader. */
export const feedSliceRows = 200;
