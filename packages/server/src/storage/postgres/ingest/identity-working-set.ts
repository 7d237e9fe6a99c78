import { newContactId } from '../../../identity/contact-id.js';
import type { Identifier } from '../../../identity/identity-rules.js';
import {
  type IdentityStore,
  type MergeRecord,
  newProfileRecord,
  type ProfileRecord,
} from '../../../identity/identity-store.js';
import { mergeStamped, type StampedValues, valuesOf } from '../../../identity/stamped-values.js';

/** The key an identifier is read ahead, locked and kept under. */
export const identifierKey = (identifier: Identifier): string => `${identifier.type}\u0000${identifier.value}`;

/** A company as read ahead. */
export interface CompanyRecord {
  readonly id: number;
  readonly traits: StampedValues;
}

/**
 * What a batch's resolution may read, loaded (and locked) before it starts
 * (postgres-ingest-reads.ts): the owners of every identifier it may look up, those profiles with
 * their identifier counts and company links, the companies its group calls name, and ids for the
 * profiles and companies it may create.
 */
export interface IdentityReadAhead {
  /** By identifierKey: the live profile owning it, or null when none does. */
  readonly owners: ReadonlyMap<string, number | null>;
  readonly profiles: ReadonlyMap<number, ProfileRecord>;
  readonly counts: ReadonlyMap<number, ReadonlyMap<string, number>>;
  /** By groupId: the company, or null when there is none yet. */
  readonly companies: ReadonlyMap<string, CompanyRecord | null>;
  /** The companies (read ahead) each profile read ahead is linked to. */
  readonly links: ReadonlyMap<number, ReadonlySet<number>>;
  /** Ids taken from the sequences, at least one per event that could create one. */
  readonly newProfileIds: readonly number[];
  readonly newCompanyIds: readonly number[];
}

/** A company as the batch leaves it. */
export interface CompanyWrite {
  readonly id: number;
  readonly groupId: string;
  readonly isNew: boolean;
  traits: StampedValues;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Everything the resolver wrote, to be saved in the batch's transaction (postgres-ingest-writes.ts). */
export interface IdentityWrites {
  /** Profiles created, by id, with the time they were created. */
  readonly created: Map<number, number>;
  /** The last state saved of every profile written, created ones included. */
  readonly saved: Map<number, ProfileRecord>;
  /** New identifiers, each with the profile it was added to. */
  readonly added: Map<string, { readonly identifier: Identifier; readonly seenAt: number; readonly profileId: number }>;
  /**
   * In the order they happened: each moves what the database holds of the absorbed profile, written
   * after the rows above, so that identifiers and links this batch gave it move too.
   */
  readonly absorbs: { readonly survivorId: number; readonly absorbedId: number }[];
  readonly merges: MergeRecord[];
  readonly companies: Map<string, CompanyWrite>;
  /** New profile-company links, as [profileId, companyId]. */
  readonly links: Map<string, [number, number]>;
}

/** Asked for what was not read ahead: a resolver that looks up more than identifiersLookedUp says. */
export class NotReadAheadError extends Error {
  constructor(what: string) {
    super(`identity read-ahead has no ${what}: the batch's reads missed it`);
    this.name = 'NotReadAheadError';
  }
}

/**
 * The resolver's store (identity/identity-store.ts) over what was read ahead: synchronous, as the
 * resolver is, and gathering its writes for one round of statements afterwards. The rules stay in
 * the resolver alone; this only answers what the database would have answered at that point of
 * the batch.
 */
export function createIdentityWorkingSet(
  readAhead: IdentityReadAhead,
  now: () => number,
): IdentityStore & { readonly writes: IdentityWrites } {
  const owners = new Map(readAhead.owners);
  const profiles = new Map(readAhead.profiles);
  const counts = new Map([...readAhead.counts].map(([id, byType]) => [id, new Map(byType)]));
  const links = new Map([...readAhead.links].map(([id, companies]) => [id, new Set(companies)]));
  const companyOf = new Map<string, CompanyWrite>();
  const newProfileIds = [...readAhead.newProfileIds];
  const newCompanyIds = [...readAhead.newCompanyIds];
  const writes: IdentityWrites = {
    created: new Map(),
    saved: new Map(),
    added: new Map(),
    absorbs: [],
    merges: [],
    companies: companyOf,
    links: new Map(),
  };

  // The resolver replaces trait entries, never changes one in place (stamped-values.ts mergeStamped):
  // a copy of the record and its traits' map is a copy it cannot reach through. structuredClone took
  // 5% of a node's CPU at bench:scale.
  const copy = (profile: ProfileRecord): ProfileRecord => ({ ...profile, traits: { ...profile.traits } });

  const countsOf = (profileId: number) => {
    const byType = counts.get(profileId);
    if (!byType) throw new NotReadAheadError(`identifier counts for profile ${profileId}`);
    return byType;
  };
  const linksOf = (profileId: number) => {
    let companies = links.get(profileId);
    if (!companies) {
      companies = new Set();
      links.set(profileId, companies);
    }
    return companies;
  };

  function company(groupId: string, seenAt: number): CompanyWrite & { readonly before: Record<string, unknown> } {
    const written = companyOf.get(groupId);
    if (written) return { ...written, before: valuesOf(written.traits) };
    const read = readAhead.companies.get(groupId);
    if (read === undefined) throw new NotReadAheadError(`company ${groupId}`);
    const id = read?.id ?? newCompanyIds.shift();
    if (id === undefined) throw new NotReadAheadError('new company id');
    const traits = { ...read?.traits };
    return {
      id,
      groupId,
      isNew: read === null,
      traits,
      firstSeenAt: seenAt,
      lastSeenAt: seenAt,
      before: valuesOf(traits),
    };
  }

  return {
    writes,
    findProfileId(identifier) {
      const owner = owners.get(identifierKey(identifier));
      if (owner === undefined) throw new NotReadAheadError(`owner for a ${identifier.type}`);
      return owner ?? undefined;
    },
    getProfile(id) {
      const profile = profiles.get(id);
      if (!profile) throw new NotReadAheadError(`profile ${id}`);
      return copy(profile);
    },
    countIdentifiers: (profileId) => new Map(countsOf(profileId)),
    createProfile(seenAt) {
      const id = newProfileIds.shift();
      if (id === undefined) throw new NotReadAheadError('new profile id');
      const at = now();
      const profile = newProfileRecord(id, newContactId(at), seenAt);
      profiles.set(id, profile);
      counts.set(id, new Map());
      writes.created.set(id, at);
      writes.saved.set(id, profile);
      return copy(profile);
    },
    addIdentifier(profileId, identifier, seenAt) {
      const key = identifierKey(identifier);
      if (owners.get(key) !== null)
        throw new Error(`identifier ${identifier.type} is owned already, or was not read ahead`);
      owners.set(key, profileId);
      const byType = countsOf(profileId);
      byType.set(identifier.type, (byType.get(identifier.type) ?? 0) + 1);
      writes.added.set(key, { identifier, seenAt, profileId });
    },
    saveProfile(profile) {
      const saved = copy(profile);
      profiles.set(profile.id, saved);
      writes.saved.set(profile.id, saved);
    },
    absorbProfile(survivorId, absorbedId) {
      for (const [key, owner] of owners) if (owner === absorbedId) owners.set(key, survivorId);
      const into = countsOf(survivorId);
      for (const [type, n] of countsOf(absorbedId)) into.set(type, (into.get(type) ?? 0) + n);
      counts.set(absorbedId, new Map());
      const survivorLinks = linksOf(survivorId);
      for (const companyId of linksOf(absorbedId)) survivorLinks.add(companyId);
      links.set(absorbedId, new Set());
      writes.absorbs.push({ survivorId, absorbedId });
    },
    recordMerge(merge) {
      writes.merges.push(merge);
    },
    linkCompany(profileId, groupId, traits, seenAt) {
      const { before, ...written } = company(groupId, seenAt);
      mergeStamped(written.traits, traits);
      written.firstSeenAt = Math.min(written.firstSeenAt, seenAt);
      written.lastSeenAt = Math.max(written.lastSeenAt, seenAt);
      const isNewCompany = written.isNew && !companyOf.has(groupId);
      companyOf.set(groupId, written);
      const linked = linksOf(profileId);
      const isNewLink = !linked.has(written.id);
      if (isNewLink) {
        linked.add(written.id);
        writes.links.set(`${profileId}:${written.id}`, [profileId, written.id]);
      }
      return { isNewCompany, isNewLink, traitsBefore: before, traitsAfter: valuesOf(written.traits) };
    },
  };
}
