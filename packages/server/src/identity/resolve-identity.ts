import { type Identifier, type IdentityRules, limitOf, rankOf } from './identity-rules.js';
import type { IdentityStore, ProfileRecord } from './identity-store.js';
import type { IdentityEvent } from './read-identity-event.js';
import { mergeStamped, stampAll } from './stamped-values.js';

/** What the resolver counts, for /metrics. */
export interface IdentityCounters {
  blockedValues: number;
  merges: number;
  aliasesRefused: number;
  mergesCapped: number;
  identifiersCapped: number;
  /** Identifiers left out because the event's kind of write key may not join on their type. */
  identifiersNotJoined: number;
}

export function createIdentityCounters(): IdentityCounters {
  return {
    blockedValues: 0,
    merges: 0,
    aliasesRefused: 0,
    mergesCapped: 0,
    identifiersCapped: 0,
    identifiersNotJoined: 0,
  };
}

export interface ResolveContext {
  readonly store: IdentityStore;
  readonly rules: IdentityRules;
  readonly counters: IdentityCounters;
  /** When the event was received: merges are recorded at this time. */
  readonly receivedAt: number;
}

/**
 * Attaches one event to the profile of the person it identifies, creating or merging profiles as
 * the rules allow (docs/identity.md). Returns that profile, or null when the event carries no
 * usable identifier.
 */
export function resolveIdentity(event: IdentityEvent, context: ResolveContext): ProfileRecord | null {
  context.counters.blockedValues += event.blocked;
  const identifiers = byPriority(event.identifiers, context.rules);
  const profile = event.alias
    ? resolveAlias(event, identifiers, context)
    : resolveIdentifiers(event, identifiers, context);
  if (profile === null) return null;
  // The one write of the profile per event: merges and new identifiers only changed the record.
  recordActivity(profile, event, context);
  return profile;
}

/**
 * Every identifier resolving `event` may look up: the event's own, and for an alias its previousId
 * (as a user_id or an anonymous_id) and its userId. An engine that reads ahead before it resolves
 * (storage/postgres/ingest/) reads, and locks, the owners of these; the resolver looks up no other.
 */
export function identifiersLookedUp(event: IdentityEvent): Identifier[] {
  if (!event.alias) return [...event.identifiers];
  const { previousId, userId } = event.alias;
  return [
    ...event.identifiers,
    { type: 'user_id', value: previousId },
    { type: 'anonymous_id', value: previousId },
    { type: 'user_id', value: userId },
  ];
}

function resolveAlias(event: IdentityEvent, identifiers: Identifier[], context: ResolveContext): ProfileRecord | null {
  const { store } = context;
  const { previousId, userId } = event.alias as NonNullable<IdentityEvent['alias']>;
  if (previousId === userId) return resolveIdentifiers(event, identifiers, context);
  const previous =
    lookup(store, { type: 'user_id', value: previousId }) ?? lookup(store, { type: 'anonymous_id', value: previousId });
  const current = lookup(store, { type: 'user_id', value: userId });
  if (previous && current && previous.profileId !== current.profileId) {
    const bothKnown = [previous.profileId, current.profileId].every(
      (id) => (store.countIdentifiers(id).get('user_id') ?? 0) > 0,
    );
    if (bothKnown) {
      // Two known people are never merged by an alias: that is how mega-profiles start.
      context.counters.aliasesRefused++;
      return store.getProfile(current.profileId);
    }
  }
  if (previous && !current) {
    // A rename: the new userId joins the old profile even past the user_id limit.
    store.addIdentifier(previous.profileId, { type: 'user_id', value: userId }, event.timestamp);
    bumpIdentifierCount(store, previous.profileId, 1);
  }
  const previousIdentifier = previous?.identifier ?? { type: 'anonymous_id', value: previousId };
  return resolveIdentifiers(event, byPriority([...identifiers, previousIdentifier], context.rules), context);
}

function resolveIdentifiers(
  event: IdentityEvent,
  identifiers: Identifier[],
  context: ResolveContext,
): ProfileRecord | null {
  const { store } = context;
  const candidates = dedupe(identifiers);
  while (candidates.length > 0) {
    const owners = new Map<number, ProfileRecord>();
    const unowned: Identifier[] = [];
    for (const identifier of candidates) {
      const profileId = store.findProfileId(identifier);
      if (profileId === undefined) unowned.push(identifier);
      else if (!owners.has(profileId)) owners.set(profileId, store.getProfile(profileId));
    }
    const profiles = [...owners.values()];
    if (unowned.length > 0 || profiles.length > 1) {
      if (!fitsLimits(profiles, unowned, context)) {
        // Leave the event's least trusted identifier out of resolution, and try again.
        candidates.pop();
        continue;
      }
    }
    const survivor = profiles.length === 0 ? store.createProfile(event.timestamp) : mergeAll(profiles, event, context);
    addIdentifiers(survivor, unowned, event, context);
    return survivor;
  }
  return null;
}

/**
 * False when the result would break a per-type limit. A profile already past a limit (a rename
 * by alias) may still gain other identifiers: only a count this resolution raises can break one.
 */
function fitsLimits(profiles: ProfileRecord[], unowned: Identifier[], context: ResolveContext): boolean {
  const totals = new Map<string, number>();
  const largestBefore = new Map<string, number>();
  for (const profile of profiles) {
    for (const [type, count] of context.store.countIdentifiers(profile.id)) {
      totals.set(type, (totals.get(type) ?? 0) + count);
      largestBefore.set(type, Math.max(largestBefore.get(type) ?? 0, count));
    }
  }
  for (const identifier of unowned) totals.set(identifier.type, (totals.get(identifier.type) ?? 0) + 1);
  for (const [type, count] of totals) {
    if (count > limitOf(context.rules, type) && count > (largestBefore.get(type) ?? 0)) return false;
  }
  return true;
}

/** Merges every profile into the oldest (earliest firstSeenAt, then smallest id), within the caps. */
function mergeAll(profiles: ProfileRecord[], event: IdentityEvent, context: ResolveContext): ProfileRecord {
  const [survivor, ...absorbed] = [...profiles].sort((a, b) => a.firstSeenAt - b.firstSeenAt || a.id - b.id);
  if (!survivor) throw new Error('mergeAll needs a profile');
  if (absorbed.length === 0) return survivor;
  const { rules, store, counters } = context;
  const merges = absorbed.reduce((sum, profile) => sum + 1 + profile.mergeCount, survivor.mergeCount);
  const identifiers = absorbed.reduce((sum, profile) => sum + profile.identifierCount, survivor.identifierCount);
  if (merges > rules.maxMergesPerProfile || identifiers > rules.maxIdentifiersPerProfile) {
    // Past the caps the event still attaches, to the oldest profile, but nothing merges.
    counters.mergesCapped++;
    return survivor;
  }
  for (const profile of absorbed) {
    absorbInto(store, survivor, profile, { messageId: event.messageId, at: context.receivedAt });
    counters.merges++;
  }
  return survivor;
}

/** True when one profile holding both would stay within the merge and identifier caps. */
export function fitsMergeCaps(rules: IdentityRules, survivor: ProfileRecord, absorbed: ProfileRecord): boolean {
  return (
    survivor.mergeCount + 1 + absorbed.mergeCount <= rules.maxMergesPerProfile &&
    survivor.identifierCount + absorbed.identifierCount <= rules.maxIdentifiersPerProfile
  );
}

/**
 * Moves `absorbed` into `survivor` and records the merge: the one way profiles merge, whether an
 * event or an admin (contacts/contact-merge.ts) asked. The caller saves `survivor` afterwards.
 */
export function absorbInto(
  store: IdentityStore,
  survivor: ProfileRecord,
  absorbed: ProfileRecord,
  merge: { readonly messageId: string; readonly at: number },
): void {
  store.absorbProfile(survivor.id, absorbed.id);
  store.recordMerge({ survivorId: survivor.id, absorbedId: absorbed.id, ...merge });
  survivor.firstSeenAt = Math.min(survivor.firstSeenAt, absorbed.firstSeenAt);
  survivor.lastSeenAt = Math.max(survivor.lastSeenAt, absorbed.lastSeenAt);
  survivor.eventCount += absorbed.eventCount;
  survivor.mergeCount += 1 + absorbed.mergeCount;
  survivor.identifierCount += absorbed.identifierCount;
  mergeStamped(survivor.traits, absorbed.traits);
}

/** Adds the identifiers no profile held, within the cap; the count is saved with the profile. */
function addIdentifiers(
  profile: ProfileRecord,
  unowned: Identifier[],
  event: IdentityEvent,
  context: ResolveContext,
): void {
  const { store, rules, counters } = context;
  for (const identifier of unowned) {
    if (profile.identifierCount >= rules.maxIdentifiersPerProfile) {
      counters.identifiersCapped++;
      continue;
    }
    store.addIdentifier(profile.id, identifier, event.timestamp);
    profile.identifierCount++;
  }
}

function bumpIdentifierCount(store: IdentityStore, profileId: number, added: number): void {
  const profile = store.getProfile(profileId);
  profile.identifierCount += added;
  store.saveProfile(profile);
}

function recordActivity(profile: ProfileRecord, event: IdentityEvent, context: ResolveContext): void {
  const stamp = { at: event.timestamp, messageId: event.messageId };
  profile.firstSeenAt = Math.min(profile.firstSeenAt, event.timestamp);
  profile.lastSeenAt = Math.max(profile.lastSeenAt, event.timestamp);
  profile.eventCount++;
  if (event.traits) mergeStamped(profile.traits, stampAll(event.traits, stamp));
  context.store.saveProfile(profile);
  if (event.group) {
    context.store.linkCompany(profile.id, event.group.groupId, stampAll(event.group.traits, stamp), event.timestamp);
  }
}

function lookup(store: IdentityStore, identifier: Identifier) {
  const profileId = store.findProfileId(identifier);
  return profileId === undefined ? undefined : { profileId, identifier };
}

function byPriority(identifiers: readonly Identifier[], rules: IdentityRules): Identifier[] {
  return [...identifiers].sort((a, b) => rankOf(rules, a.type) - rankOf(rules, b.type));
}

function dedupe(identifiers: Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return identifiers.filter((identifier) => {
    const key = `${identifier.type}\u0000${identifier.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
