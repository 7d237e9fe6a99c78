import { describe, expect, it } from 'vitest';
import type { StoredChange } from './change.js';
import { createFeedFollower } from './feed-follower.js';

/**
 * A feed whose commit notices, like PostgreSQL's LISTEN, reach a listener only once its listening
 * has begun, a few milliseconds after it registered.
 */
function slowToListenFeed(listenAfterMs: number) {
  const changes: StoredChange[] = [];
  const listeners = new Set<() => void>();
  let isListening = false;
  const listeningBegun = new Promise<void>((resolve) =>
    setTimeout(() => {
      isListening = true;
      resolve();
    }, listenAfterMs),
  );
  return {
    commit(contactId: string) {
      changes.push({ seq: changes.length + 1, type: 'contact.updated', contactId, at: 0, data: '{}' });
      if (isListening) for (const listener of listeners) listener();
    },
    store: {
      read: async ({ after, limit }: { after: number; limit: number }) =>
        changes.filter((change) => change.seq > after).slice(0, limit),
      head: async () => changes.length,
      listening: () => listeningBegun,
      onCommit(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the feed follower', () => {
  it('starts once it hears every commit: one made just after start() resolves is read', async () => {
    const feed = slowToListenFeed(30);
    const read: string[] = [];
    const follower = createFeedFollower(feed.store, {}, (changes) => {
      for (const change of changes) read.push(change.contactId ?? '');
    });
    feed.commit('ct_before');
    await follower.start();
    feed.commit('ct_after');
    await settle();
    expect(read).toEqual(['ct_after']);
    follower.stop();
  });

  it('answers the same start while started, and starts afresh after a stop', async () => {
    const feed = slowToListenFeed(5);
    const read: string[] = [];
    const follower = createFeedFollower(feed.store, {}, (changes) => {
      for (const change of changes) read.push(change.contactId ?? '');
    });
    const first = follower.start();
    expect(follower.start()).toBe(first);
    await first;
    follower.stop();
    feed.commit('ct_unheard');
    await follower.start();
    feed.commit('ct_heard');
    await settle();
    expect(read).toEqual(['ct_heard']);
  });
});
