import type { StoredChange } from '../../changes/change.js';
import type { ChangeStore } from '../../changes/change-store.js';
import { createFeedFollower } from '../../changes/feed-follower.js';

/** What a page shows live: one contact (with what merges into it), or one audience's members. */
export type PageTopic = `contact:${string}` | `audience:${string}`;

export interface PageWatch {
  /** Resolves once every commit from then on is heard: a page that reads itself after it misses none. */
  readonly ready: Promise<void>;
  stop(): void;
}

export interface PageHub {
  /** Calls `onChange` after each commit that touched the topic, until stopped. */
  watch(topic: PageTopic, onChange: () => void): PageWatch;
}

/**
 * One reader of the change feed for every open live page (changes/feed-follower.ts): after each
 * commit it wakes the pages whose contact or audience the new changes name (a merge wakes the page
 * of the contact that was absorbed too). It reads only while some page is open.
 */
export function createPageHub(changes: Pick<ChangeStore, 'read' | 'head' | 'onCommit' | 'listening'>): PageHub {
  const watchers = new Map<string, Set<() => void>>();
  const follower = createFeedFollower(changes, {}, (read) => {
    const woken = new Set<() => void>();
    for (const change of read)
      for (const topic of topicsOf(change)) for (const wake of watchers.get(topic) ?? []) woken.add(wake);
    for (const wake of woken) wake();
  });
  return {
    watch(topic, onChange) {
      const ready = follower.start();
      const set = watchers.get(topic) ?? new Set();
      set.add(onChange);
      watchers.set(topic, set);
      return {
        ready,
        stop() {
          set.delete(onChange);
          if (set.size === 0 && watchers.get(topic) === set) watchers.delete(topic);
          if (watchers.size === 0) follower.stop();
        },
      };
    },
  };
}

function topicsOf(change: StoredChange): string[] {
  const topics = change.contactId ? [`contact:${change.contactId}`] : [];
  if (change.type === 'audience.entered' || change.type === 'audience.exited' || change.type === 'contact.merged') {
    const data = parse(change.data);
    if (typeof data.audienceId === 'string') topics.push(`audience:${data.audienceId}`);
    if (Array.isArray(data.absorbed)) for (const id of data.absorbed) topics.push(`contact:${String(id)}`);
  }
  return topics;
}

function parse(data: string): { audienceId?: unknown; absorbed?: unknown } {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
