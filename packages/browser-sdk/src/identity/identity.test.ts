// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearCookies, setCookie } from '../browser.test-support.js';
import { readCookie } from './cookies.js';
import { createIdentity, type DurableIdentityStore } from './identity.js';
import type { StoredIdentity } from './resolve-identity.js';

let ids = 0;
let clockMs = 1_000;
const newId = () => `new-id-${++ids}`;
const open = (cookieDomain?: string) => createIdentity({ cookieDomain, newId, now: () => clockMs });

/** What IndexedDB would hold: the last identity saved. */
function durableStore(initial?: StoredIdentity): DurableIdentityStore & { saved: StoredIdentity[] } {
  const saved: StoredIdentity[] = initial ? [initial] : [];
  return {
    saved,
    loadIdentity: async () => saved.at(-1),
    async saveIdentity(identity) {
      saved.push(identity);
    },
  };
}

beforeEach(() => {
  clearCookies();
  localStorage.clear();
});
afterEach(() => vi.restoreAllMocks());

describe('identity', () => {
  it('starts a new visitor with a fresh anonymousId and no user', () => {
    expect(open().user()).toEqual({ id: undefined, anonymousId: expect.stringMatching(/^new-id-/), traits: {} });
  });

  it('adopts analytics.js cookies, raw or JSON-encoded', () => {
    setCookie('ajs_anonymous_id=%22ajs-anon%22; path=/');
    setCookie('ajs_user_id=ajs-user; path=/');
    expect(open().user()).toMatchObject({ id: 'ajs-user', anonymousId: 'ajs-anon' });
  });

  it('adopts analytics.js localStorage, where values are JSON', () => {
    localStorage.setItem('ajs_anonymous_id', '"ls-anon"');
    localStorage.setItem('ajs_user_id', '"ls-user"');
    localStorage.setItem('ajs_user_traits', '{"plan":"pro"}');
    expect(open().user()).toEqual({ id: 'ls-user', anonymousId: 'ls-anon', traits: { plan: 'pro' } });
  });

  it('prefers its own keys over analytics.js ones', () => {
    setCookie('ajs_anonymous_id=ajs-anon; path=/');
    setCookie('weft_anonymous_id=weft-anon; path=/');
    expect(open().user().anonymousId).toBe('weft-anon');
  });

  it('writes nothing until persist, then keeps the visitor in cookies and localStorage', async () => {
    const identity = open();
    identity.identify('user-1', { plan: 'pro' });
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    await identity.persist();
    const { anonymousId } = identity.user();
    expect(readCookie('weft_anonymous_id')).toBe(anonymousId);
    expect(localStorage.getItem('weft:v1:user_id')).toBe('"user-1"');
    expect(localStorage.getItem('weft:v1:user_traits')).toBe('{"plan":"pro"}');
    expect(open().user()).toEqual({ id: 'user-1', anonymousId, traits: { plan: 'pro' } });
  });

  it('merges traits for the same user and replaces them for a new one', () => {
    const identity = open();
    identity.identify('user-1', { plan: 'pro' });
    identity.identify(undefined, { seats: 3 });
    expect(identity.user().traits).toEqual({ plan: 'pro', seats: 3 });
    identity.identify('user-2', { plan: 'free' });
    expect(identity.user()).toMatchObject({ id: 'user-2', traits: { plan: 'free' } });
  });

  it('reset rotates the anonymousId and forgets the user, on the device too', async () => {
    const identity = open();
    await identity.persist();
    identity.identify('user-1', { plan: 'pro' });
    const before = identity.user().anonymousId;
    identity.reset();
    const after = identity.user();
    expect(after.anonymousId).not.toBe(before);
    expect(after).toMatchObject({ id: undefined, traits: {} });
    expect(readCookie('weft_anonymous_id')).toBe(after.anonymousId);
    expect(localStorage.getItem('weft:v1:user_id')).toBeNull();
  });

  it('sets the cookie for the configured domain, so that subdomains share the visitor', async () => {
    const written: string[] = [];
    vi.spyOn(Document.prototype, 'cookie', 'set').mockImplementation((value: string) => {
      written.push(value);
    });
    await open('example.com').persist();
    expect(written.find((cookie) => cookie.startsWith('weft_anonymous_id='))).toMatch(
      /; path=\/; max-age=31536000; SameSite=Lax; domain=example\.com$/,
    );
  });

  it('keeps the group and its traits, replacing the traits for a new group', async () => {
    const identity = open();
    identity.group('acme', { seats: 3 });
    identity.group('acme', { plan: 'pro' });
    expect(identity.user()).toMatchObject({ groupId: 'acme', groupTraits: { seats: 3, plan: 'pro' } });
    identity.group('globex', { seats: 1 });
    await identity.persist();
    expect(open().user()).toMatchObject({ groupId: 'globex', groupTraits: { seats: 1 } });
  });
});

describe('identity that survives losing the cookie and localStorage', () => {
  it('writes every change to the durable store, with a newer generation each time', async () => {
    const durable = durableStore();
    const identity = open();
    await identity.persist(durable);
    clockMs += 10;
    identity.identify('user-1', { plan: 'pro' });
    identity.group('acme', undefined);
    const [first, identified, grouped] = durable.saved;
    expect(identified).toMatchObject({ id: 'user-1', traits: { plan: 'pro' }, anonymousId: first?.anonymousId });
    expect(grouped).toMatchObject({ id: 'user-1', groupId: 'acme' });
    expect(first?.generation).toBeLessThan(identified?.generation ?? 0);
    expect(identified?.generation).toBeLessThan(grouped?.generation ?? 0);
  });

  it('recovers the visitor from the durable store when cookie and localStorage are gone', async () => {
    const durable = durableStore();
    const before = open();
    await before.persist(durable);
    before.identify('user-1', { plan: 'pro' });
    clearCookies();
    localStorage.clear();
    const after = open();
    expect(after.user().id).toBeUndefined();
    await after.persist(durable);
    expect(after.user()).toEqual(before.user());
    expect(readCookie('weft_anonymous_id')).toBe(before.user().anonymousId);
    expect(localStorage.getItem('weft:v1:user_id')).toBe('"user-1"');
  });

  it('does not let a stale cookie and localStorage bring back the user a reset removed', async () => {
    const durable = durableStore();
    const identity = open();
    await identity.persist(durable);
    identity.identify('user-1', { plan: 'pro' });
    const staleCookie = document.cookie;
    const staleStorage = { ...localStorage };
    clockMs += 10;
    identity.reset();
    const afterReset = identity.user();
    // The crash: the cookie and localStorage of before the reset are what reached the disk.
    clearCookies();
    for (const pair of staleCookie.split('; ')) setCookie(`${pair}; path=/`);
    localStorage.clear();
    for (const [key, value] of Object.entries(staleStorage)) localStorage.setItem(key, value);
    const next = open();
    expect(next.user().id).toBe('user-1');
    await next.persist(durable);
    expect(next.user()).toEqual(afterReset);
  });

  it('takes a newer cookie from another subdomain over the durable record', async () => {
    const durable = durableStore();
    const identity = open();
    await identity.persist(durable);
    identity.identify('user-1', { plan: 'pro' });
    // Another subdomain, sharing the cookie, reset the visitor later.
    setCookie('weft_anonymous_id=from-sibling; path=/');
    setCookie(`weft_generation=${clockMs + 60_000}; path=/`);
    localStorage.clear();
    const next = open();
    await next.persist(durable);
    expect(next.user()).toEqual({ id: undefined, anonymousId: 'from-sibling', traits: {} });
  });
});
