import type { ChangeType, StoredChange } from './change.js';
import type { ChangeStore } from './change-store.js';

export interface FeedFollower {
  /**
   * Starts reading after the feed's current head, after each commit (idempotent). Resolves once
   * every commit from then on will be read: on PostgreSQL, LISTEN takes a round trip to begin.
   */
  start(): Promise<void>;
  /** Stops listening; a later start begins at the head again. */
  stop(): void;
}

const pageSize = 500;

/**
 * Reads what each commit added to the change feed, in order, and hands it over once per read: a
 * burst of commits during a read is caught up by one more read, never by overlapping ones. The
 * hubs of open streams and live pages use it (personalize/profile-hub.ts, ui/live/page-hub.ts).
 */
export function createFeedFollower(
  changes: Pick<ChangeStore, 'read' | 'head' | 'onCommit' | 'listening'>,
  options: { readonly types?: readonly ChangeType[] | undefined },
  onChanges: (changes: readonly StoredChange[]) => void,
): FeedFollower {
  let position: Promise<number> | undefined;
  let started: Promise<void> | undefined;
  let isReading = false;
  let isCommittedSinceRead = false;
  let stopListening: (() => void) | undefined;

  async function readNew(): Promise<void> {
    if (isReading) {
      isCommittedSinceRead = true;
      return;
    }
    isReading = true;
    try {
      do {
        isCommittedSinceRead = false;
        let after = await (position ?? Promise.resolve(0));
        const read: StoredChange[] = [];
        for (;;) {
          const page = await changes.read({ after, limit: pageSize, types: options.types });
          for (const change of page) read.push(change);
          after = page.at(-1)?.seq ?? after;
          if (page.length < pageSize) break;
        }
        position = Promise.resolve(after);
        if (read.length > 0) onChanges(read);
      } while (isCommittedSinceRead && stopListening !== undefined);
    } finally {
      isReading = false;
    }
  }

  return {
    start() {
      if (stopListening && started) return started;
      stopListening = changes.onCommit(() => void readNew().catch(() => undefined));
      // The head once listening: a commit between the two is in the head, so none goes unread.
      // A failure (the database closing) must not become an unhandled rejection.
      position = changes
        .listening()
        .then(() => changes.head())
        .catch(() => 0);
      started = position.then(() => undefined);
      return started;
    },
    stop() {
      stopListening?.();
      stopListening = undefined;
      position = undefined;
      started = undefined;
    },
  };
}
