// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearCookies, setCookie } from '../browser.test-support.js';
import { readCookie } from './cookies.js';
import { createIdentity } from './identity.js';

let ids = 0;
const newId = () => `new-id-${++ids}`;
const open = (domain?: string) => createIdentity(domain, newId);

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

  it('writes nothing until persist, then keeps the visitor in cookies and localStorage', () => {
    const identity = open();
    identity.identify('user-1', { plan: 'pro' });
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    identity.persist();
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

  it('reset rotates the anonymousId and forgets the user, on the device too', () => {
    const identity = open();
    identity.persist();
    identity.identify('user-1', { plan: 'pro' });
    const before = identity.user().anonymousId;
    identity.reset();
    const after = identity.user();
    expect(after.anonymousId).not.toBe(before);
    expect(after).toMatchObject({ id: undefined, traits: {} });
    expect(readCookie('weft_anonymous_id')).toBe(after.anonymousId);
    expect(localStorage.getItem('weft:v1:user_id')).toBeNull();
  });

  it('sets the cookie for the configured domain, so that subdomains share the visitor', () => {
    const written: string[] = [];
    vi.spyOn(Document.prototype, 'cookie', 'set').mockImplementation((value: string) => {
      written.push(value);
    });
    open('example.com').persist();
    expect(written.find((cookie) => cookie.startsWith('weft_anonymous_id='))).toMatch(
      /; path=\/; max-age=31536000; SameSite=Lax; domain=example\.com$/,
    );
  });
});
