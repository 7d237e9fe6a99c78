/** A change reduced to what the delivery checks compare: as a consumer recorded it, or as the feed answers it. */
export interface ChangeRecord {
  readonly id: string;
  readonly cursor: string;
  readonly type: string;
  readonly contactId: string | null;
  /** The event's messageId for event.stored; null for other types. */
  readonly messageId: string | null;
}

export interface DeliveryReport {
  /** Ids of the feed's changes the consumer never received. */
  readonly missing: string[];
  /** Receipts beyond the first of a change: allowed (at-least-once), but counted. */
  readonly duplicates: number;
  /** Ids received that the feed does not hold, or received with another cursor, type, contact or messageId. */
  readonly mismatched: string[];
  /** Contacts whose changes, in the order first received, are not in the feed's order. */
  readonly outOfOrderContacts: string[];
}

/**
 * What a consumer received against a full read of the feed. A change received again is a duplicate,
 * not a reordering: a consumer skips an id it has seen, so order is that of first receipts.
 */
export function compareDelivery(feed: readonly ChangeRecord[], received: readonly ChangeRecord[]): DeliveryReport {
  const feedById = new Map(feed.map((change) => [change.id, change]));
  const firstReceipts = new Map<string, ChangeRecord>();
  const mismatched = new Set<string>();
  for (const change of received) {
    const expected = feedById.get(change.id);
    if (!expected || !isSameChange(expected, change)) mismatched.add(change.id);
    if (!firstReceipts.has(change.id)) firstReceipts.set(change.id, change);
  }
  // Only changes both sides hold: a missing or unknown one is reported once, not again as disorder.
  const receivedOrders = contactOrders([...firstReceipts.values()].filter((change) => feedById.has(change.id)));
  const outOfOrderContacts = [...contactOrders(feed)]
    .filter(([contactId, ids]) => {
      const receivedIds = receivedOrders.get(contactId) ?? [];
      return receivedIds.join() !== ids.filter((id) => firstReceipts.has(id)).join();
    })
    .map(([contactId]) => contactId);
  return {
    missing: feed.filter((change) => !firstReceipts.has(change.id)).map((change) => change.id),
    duplicates: received.length - firstReceipts.size,
    mismatched: [...mismatched],
    outOfOrderContacts,
  };
}

function isSameChange(a: ChangeRecord, b: ChangeRecord): boolean {
  return a.cursor === b.cursor && a.type === b.type && a.contactId === b.contactId && a.messageId === b.messageId;
}

/** Each contact's change ids in the order given. */
function contactOrders(changes: readonly ChangeRecord[]): Map<string, string[]> {
  const orders = new Map<string, string[]>();
  for (const change of changes) {
    if (change.contactId === null) continue;
    const ids = orders.get(change.contactId) ?? [];
    ids.push(change.id);
    orders.set(change.contactId, ids);
  }
  return orders;
}
