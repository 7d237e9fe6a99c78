import { compareQueueItems, type QueueItem, type QueueStore } from './queue-store.js';

/** A store that lives as long as the process: the default where nothing durable is wanted. */
export function createMemoryStore(): QueueStore {
  const items = new Map<string, QueueItem>();
  return {
    async load() {
      return [...items.values()].map((item) => ({ ...item })).sort(compareQueueItems);
    },
    async put(batch) {
      for (const item of batch) items.set(item.id, { ...item });
    },
    async remove(ids) {
      for (const id of ids) items.delete(id);
    },
  };
}
