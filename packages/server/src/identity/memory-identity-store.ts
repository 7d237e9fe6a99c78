import type { Identifier } from './identity-rules.js';
import { type IdentityStore, type MergeRecord, newProfileRecord, type ProfileRecord } from './identity-store.js';
import { mergeStamped, type StampedValues, valuesOf } from './stamped-values.js';

export interface MemoryIdentityStore extends IdentityStore {
  /** For tests: every live profile with its identifiers and companies. */
  snapshot(): Array<{ profile: ProfileRecord; identifiers: Identifier[]; companies: string[] }>;
  readonly merges: readonly MergeRecord[];
  companyTraits(groupId: string): StampedValues | undefined;
}

/** The resolver's store in plain Maps: the reference the SQLite store is checked against. */
export function createMemoryIdentityStore(): MemoryIdentityStore {
  const profiles = new Map<number, ProfileRecord>();
  const owners = new Map<string, number>();
  const identifiersOf = new Map<number, Identifier[]>();
  const companiesOf = new Map<number, Set<string>>();
  const companies = new Map<string, StampedValues>();
  const merges: MergeRecord[] = [];
  let nextId = 1;
  const key = (identifier: Identifier) => `${identifier.type}\u0000${identifier.value}`;
  const copy = (profile: ProfileRecord): ProfileRecord => structuredClone(profile);

  return {
    merges,
    findProfileId: (identifier) => owners.get(key(identifier)),
    getProfile(id) {
      const profile = profiles.get(id);
      if (!profile) throw new Error(`no profile ${id}`);
      return copy(profile);
    },
    countIdentifiers(profileId) {
      const counts = new Map<string, number>();
      for (const { type } of identifiersOf.get(profileId) ?? []) counts.set(type, (counts.get(type) ?? 0) + 1);
      return counts;
    },
    createProfile(seenAt) {
      const id = nextId++;
      const profile = newProfileRecord(id, `ct_memory_${id}`, seenAt);
      profiles.set(profile.id, profile);
      identifiersOf.set(profile.id, []);
      return copy(profile);
    },
    addIdentifier(profileId, identifier) {
      if (owners.has(key(identifier))) throw new Error(`${identifier.type}:${identifier.value} already has a profile`);
      owners.set(key(identifier), profileId);
      identifiersOf.get(profileId)?.push(identifier);
    },
    saveProfile(profile) {
      profiles.set(profile.id, copy(profile));
    },
    absorbProfile(survivorId, absorbedId) {
      for (const identifier of identifiersOf.get(absorbedId) ?? []) {
        owners.set(key(identifier), survivorId);
        identifiersOf.get(survivorId)?.push(identifier);
      }
      for (const groupId of companiesOf.get(absorbedId) ?? []) link(survivorId, groupId);
      profiles.delete(absorbedId);
      identifiersOf.delete(absorbedId);
      companiesOf.delete(absorbedId);
    },
    recordMerge(merge) {
      merges.push(merge);
    },
    linkCompany(profileId, groupId, traits) {
      const before = companies.get(groupId);
      const after = mergeStamped(structuredClone(before ?? {}), traits);
      companies.set(groupId, after);
      const isNewLink = !companiesOf.get(profileId)?.has(groupId);
      link(profileId, groupId);
      return {
        isNewCompany: before === undefined,
        isNewLink,
        traitsBefore: valuesOf(before ?? {}),
        traitsAfter: valuesOf(after),
      };
    },
    companyTraits: (groupId) => companies.get(groupId),
    snapshot() {
      return [...profiles.values()].map((profile) => ({
        profile: copy(profile),
        identifiers: [...(identifiersOf.get(profile.id) ?? [])],
        companies: [...(companiesOf.get(profile.id) ?? [])].sort(),
      }));
    },
  };

  function link(profileId: number, groupId: string): void {
    const linked = companiesOf.get(profileId) ?? new Set<string>();
    linked.add(groupId);
    companiesOf.set(profileId, linked);
  }
}
