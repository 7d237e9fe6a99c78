import { describe, expect, it } from 'vitest';
import type { ChangeType, StoredChange } from '../changes/change.js';
import { createProfileHub } from './profile-hub.js';

/** A feed in memory that counts its reads and lets the test commit changes. */
function fakeFeed() {
  const changes: StoredChange[] = [];
  const listeners = new Set<() => void>();
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    listeners,
    rawCommit(change: StoredChange) {
      changes.push({ ...change, seq: changes.length + 1 });
      for (const listener of listeners) listener();
    },
    commit(...made: { type: ChangeType; contactId: string; data?: unknown }[]) {
      for (const change of made) {
        changes.push({
          seq: changes.length + 1,
          type: change.type,
          contactId: change.contactId,
          at: 0,
          data: JSON.stringify(change.data ?? {}),
        });
      }
      for (const listener of listeners) listener();
    },
    store: {
      read: async ({ after, limit }: { after: number; limit: number }) => {
        reads++;
        return changes.filter((change) => change.seq > after).slice(0, limit);
      },
      head: async () => changes.length,
      listening: async () => {},
      onCommit(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the profile hub', () => {
  it('reads the feed once per commit however many streams watch, and wakes only those concerned', async () => {
    const feed = fakeFeed();
    const hub = createProfileHub(feed.store);
    const woken: number[] = [];
    const watches = Array.from({ length: 100 }, (_, n) => {
      const watch = hub.watch({ type: 'anonymous_id', value: `a${n}` }, () => woken.push(n));
      watch.follow(`ct_${n}`);
      return watch;
    });
    await settle();
    const before = feed.reads;
    feed.commit({ type: 'contact.updated', contactId: 'ct_7' }, { type: 'audience.entered', contactId: 'ct_42' });
    await settle();
    expect(feed.reads - before).toBe(1);
    expect(woken.sort((a, b) => a - b)).toEqual([7, 42]);
    for (const watch of watches) watch.close();
    expect(feed.listeners.size).toBe(0);
  });

  it('wakes a stream whose contact was merged away, and one whose identifier a new contact holds', async () => {
    const feed = fakeFeed();
    const hub = createProfileHub(feed.store);
    const woken: string[] = [];
    hub.watch({ type: 'anonymous_id', value: 'phone' }, () => woken.push('merged')).follow('ct_old');
    hub.watch({ type: 'anonymous_id', value: 'new-visitor' }, () => woken.push('created'));
    await settle();
    feed.commit({ type: 'contact.merged', contactId: 'ct_survivor', data: { absorbed: ['ct_old'] } });
    feed.commit({
      type: 'contact.created',
      contactId: 'ct_new',
      data: { identities: [{ type: 'anonymous_id', value: 'new-visitor' }] },
    });
    await settle();
    expect(woken).toEqual(['merged', 'created']);
  });

  it('goes on past a change whose data is not JSON', async () => {
    const feed = fakeFeed();
    const hub = createProfileHub(feed.store);
    const woken: string[] = [];
    hub.watch({ type: 'anonymous_id', value: 'x' }, () => woken.push('x')).follow('ct_x');
    await settle();
    feed.commit({ type: 'contact.merged', contactId: 'ct_y', data: undefined });
    feed.rawCommit({ seq: 0, type: 'contact.created', contactId: 'ct_z', at: 0, data: '{not json' });
    feed.commit({ type: 'contact.updated', contactId: 'ct_x' });
    await settle();
    expect(woken).toEqual(['x']);
  });
});
