import { describe, expect, it } from 'vitest';
import { type AudienceProfile, emptyAudienceProfile } from '../../../audiences/audience-state.js';
import { type ContactSource, createAudienceWorkingSet } from './audience-working-set.js';

const record = (hours: number): AudienceProfile => ({
  ...emptyAudienceProfile,
  hours: { m: [[1, hours]] },
  members: { aud_1: [0, false] },
});

describe('the audience working set', () => {
  it('hands a survivor the records of every profile merged into it, a leftover merged before the batch included', () => {
    // Profile 1 was merged into 2 before this batch, and kept its record (a leftover); the batch
    // merges 2 into 3. SQLite's merged_into leads 1 straight to 3: so must the working set.
    const survivors = new Map<number, number>();
    const contacts: ContactSource = {
      snapshot: () => undefined,
      survivorOf: (id) => survivors.get(id),
      contactIdOf: (id) => `ct_${id}`,
    };
    const { state, writes } = createAudienceWorkingSet(
      {
        records: new Map([[2, record(2)]]),
        leftovers: [{ profileId: 1, contactId: 'ct_1', mergedInto: 2, profile: record(1) }],
      },
      contacts,
    );
    survivors.set(2, 3);
    expect(
      state
        .takeAbsorbed(3)
        .map((taken) => taken.profileId)
        .sort(),
    ).toEqual([1, 2]);
    expect([...writes.removed].sort()).toEqual([1, 2]);
    expect(state.takeAbsorbed(3)).toEqual([]);
  });
});
