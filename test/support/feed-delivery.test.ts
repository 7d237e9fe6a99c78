import { describe, expect, it } from 'vitest';
import { type ChangeRecord, compareDelivery } from './feed-delivery.js';

const change = (seq: number, contactId: string | null, type = 'event.stored'): ChangeRecord => ({
  id: `ch_${seq}`,
  cursor: `cursor-${seq}`,
  type,
  contactId,
  messageId: type === 'event.stored' ? `m${seq}` : null,
});
const [a1, b1, a2, b2, c1] = [change(1, 'a'), change(2, 'b'), change(3, 'a'), change(4, 'b'), change(5, null)];
const feed = [a1, b1, a2, b2, c1] as ChangeRecord[];
const clean = { missing: [], duplicates: 0, mismatched: [], outOfOrderContacts: [] };

describe('comparing what a feed consumer received with the feed', () => {
  it.each<[string, ChangeRecord[], object]>([
    ['finds nothing wrong with the feed as it is', feed, clean],
    [
      'counts a change received again after a rewind as a duplicate, not a reordering',
      [a1, b1, a2, b1, a2, b2, c1],
      {
        ...clean,
        duplicates: 2,
      },
    ],
    ['names a change never received', [a1, b1, b2, c1], { ...clean, missing: ['ch_3'] }],
    [
      'names a contact whose changes came in another order',
      [a2, b1, a1, b2, c1],
      {
        ...clean,
        outOfOrderContacts: ['a'],
      },
    ],
    ['keeps another contact first: only each contact’s order counts', [b1, b2, a1, a2, c1], clean],
    ['names a change the feed does not hold', [...feed, change(9, 'a')], { ...clean, mismatched: ['ch_9'] }],
    [
      'names a change received with another cursor',
      [a1, { ...b1, cursor: 'cursor-1' }, a2, b2, c1],
      {
        ...clean,
        mismatched: ['ch_2'],
      },
    ],
  ])('%s', (_name, received, expected) => {
    expect(compareDelivery(feed, received)).toEqual(expected);
  });
});
