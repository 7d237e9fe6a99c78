import type { ChangeType } from '../changes/change.js';
import type { ChangeStore } from '../changes/change-store.js';
import { createFeedFollower } from '../changes/feed-follower.js';
import type { VisitorIdentifierType } from './personalize-store.js';

/** The changes that can alter a personalization answer. */
const watchedTypes: readonly ChangeType[] = [
  'contact.created',
  'contact.updated',
  'contact.identified',
  'contact.merged',
  'contact.deleted',
  'audience.entered',
  'audience.exited',
];

const namesOthers = new Set<ChangeType>(['contact.created', 'contact.identified', 'contact.merged']);

export interface ProfileWatch {
  /** Resolves once every commit from then on is heard: an answer read after it misses none. */
  readonly ready: Promise<void>;
  /** The contact the visitor is now (undefined while none holds the identifier); true when it changed. */
  follow(contactId: string | undefined): boolean;
  close(): void;
}

export interface ProfileHub {
  /** Calls `onChange` after each commit that touched this visitor's contact or made one for it. */
  watch(identifier: { type: VisitorIdentifierType; value: string }, onChange: () => void): ProfileWatch;
}

/**
 * One reader of the change feed for every open personalization stream: after each commit it reads
 * what is new (once, whatever the number of streams) and wakes the streams whose contact it names,
 * whose contact was merged into another, or whose identifier a new or re-identified contact holds.
 * It reads only while some stream is open.
 */
export function createProfileHub(changes: Pick<ChangeStore, 'read' | 'head' | 'onCommit' | 'listening'>): ProfileHub {
  interface Watcher {
    contactId: string | undefined;
    readonly identifierKey: string;
    readonly onChange: () => void;
  }
  const byContact = new Map<string, Set<Watcher>>();
  const byIdentifier = new Map<string, Set<Watcher>>();
  let count = 0;

  const wakeAll = (set: Set<Watcher> | undefined, woken: Set<Watcher>) => {
    for (const watcher of set ?? []) woken.add(watcher);
  };
  const follower = createFeedFollower(changes, { types: watchedTypes }, (read) => {
    const woken = new Set<Watcher>();
    for (const change of read) {
      if (change.contactId) wakeAll(byContact.get(change.contactId), woken);
      // Only these name other contacts or identifiers: the rest are not parsed.
      if (!namesOthers.has(change.type)) continue;
      const data = parseData(change.data);
      if (Array.isArray(data.absorbed)) for (const id of data.absorbed) wakeAll(byContact.get(String(id)), woken);
      if (Array.isArray(data.identities)) {
        for (const identity of data.identities as ({ type?: unknown; value?: unknown } | null)[]) {
          wakeAll(byIdentifier.get(`${String(identity?.type)}:${String(identity?.value)}`), woken);
        }
      }
    }
    for (const watcher of woken) watcher.onChange();
  });

  const add = (map: Map<string, Set<Watcher>>, key: string, watcher: Watcher) => {
    const set = map.get(key) ?? new Set<Watcher>();
    set.add(watcher);
    map.set(key, set);
  };
  const remove = (map: Map<string, Set<Watcher>>, key: string | undefined, watcher: Watcher) => {
    if (key === undefined) return;
    const set = map.get(key);
    set?.delete(watcher);
    if (set?.size === 0) map.delete(key);
  };

  return {
    watch(identifier, onChange) {
      const watcher: Watcher = {
        contactId: undefined,
        identifierKey: `${identifier.type}:${identifier.value}`,
        onChange,
      };
      count++;
      const ready = follower.start();
      add(byIdentifier, watcher.identifierKey, watcher);
      let isClosed = false;
      return {
        ready,
        follow(contactId) {
          if (isClosed || contactId === watcher.contactId) return false;
          remove(byContact, watcher.contactId, watcher);
          watcher.contactId = contactId;
          if (contactId !== undefined) add(byContact, contactId, watcher);
          return true;
        },
        close() {
          if (isClosed) return;
          isClosed = true;
          remove(byContact, watcher.contactId, watcher);
          remove(byIdentifier, watcher.identifierKey, watcher);
          if (--count === 0) follower.stop();
        },
      };
    },
  };
}

/** A change's data, or nothing when it is not JSON: one bad row must not stop every stream. */
function parseData(data: string): { absorbed?: unknown; identities?: unknown } {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
