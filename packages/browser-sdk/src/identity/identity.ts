import type { JsonObject } from '@weft/core';
import { readCookieIdentity, readLocalIdentity, safeLocalStorage, writeLocalIdentity } from './local-identity.js';
import { nextGeneration, resolveIdentity, type StoredIdentity } from './resolve-identity.js';

export interface User {
  id: string | undefined;
  anonymousId: string;
  traits: JsonObject;
  /** The last `group` call's group, and its traits. */
  groupId?: string | undefined;
  groupTraits?: JsonObject | undefined;
}

/** Where the identity survives a crash: the queue's IndexedDB database. */
export interface DurableIdentityStore {
  loadIdentity(): Promise<StoredIdentity | undefined>;
  /** Written no later than the next queued event (in or before that event's transaction). */
  saveIdentity(identity: StoredIdentity): Promise<void>;
}

export interface Identity {
  user(): User;
  /** Sets the user id (a new one replaces the traits) and merges traits in. */
  identify(userId: string | undefined, traits: JsonObject | undefined): void;
  /** Sets the group id (a new one replaces the group traits) and merges traits in. */
  group(groupId: string, traits: JsonObject | undefined): void;
  /** A new anonymousId, no user id, no traits, no group. */
  reset(): void;
  /**
   * Reads the durable copy, keeps the newest identity, and from then on writes it to cookies,
   * localStorage and `durable` on every change. Until the first call nothing is written.
   */
  persist(durable?: DurableIdentityStore): Promise<void>;
}

export interface IdentityDeps {
  cookieDomain: string | undefined;
  newId: () => string;
  now: () => number;
}

type State = User & { generation: number };

/**
 * The visitor's identity: the newest of what the cookies, localStorage and (once `persist` reads it)
 * IndexedDB hold; else analytics.js's; else a new visitor.
 */
export function createIdentity(deps: IdentityDeps): Identity {
  const storage = safeLocalStorage();
  const fill = (found: StoredIdentity | undefined) =>
    ({
      ...found,
      anonymousId: found?.anonymousId ?? deps.newId(),
      traits: found?.traits ?? {},
      // A visitor minted here loses to any stored one (generation 0).
      generation: found?.generation ?? 0,
    }) as State;
  let state = fill(resolveIdentity(readCookieIdentity(), readLocalIdentity(storage), undefined));
  let durable: DurableIdentityStore | undefined;
  let isPersisted = false;

  function write(): void {
    writeLocalIdentity(state, storage, deps.cookieDomain);
    // A failure is the queue's too, and reported with it.
    durable?.saveIdentity({ ...state }).catch(() => undefined);
  }

  function change(next: Omit<State, 'generation'>): void {
    state = { ...next, generation: nextGeneration(state.generation, deps.now()) };
    if (isPersisted) write();
  }

  return {
    user: () => {
      const { generation, ...user } = structuredClone(state);
      return user;
    },
    identify(userId, traits) {
      const isNewUser = userId !== undefined && state.id !== undefined && userId !== state.id;
      change({ ...state, id: userId ?? state.id, traits: { ...(isNewUser ? {} : state.traits), ...traits } });
    },
    group(groupId, traits) {
      const isNewGroup = state.groupId !== undefined && groupId !== state.groupId;
      change({ ...state, groupId, groupTraits: { ...(isNewGroup ? {} : state.groupTraits), ...traits } });
    },
    reset: () => change({ id: undefined, anonymousId: deps.newId(), traits: {} }),
    async persist(store) {
      const stored = await store?.loadIdentity().catch(() => undefined);
      state = fill(resolveIdentity(readCookieIdentity(), state, stored));
      durable = store;
      isPersisted = true;
      write();
    },
  };
}
