// Drives the web UI through app.request() as a browser would: a cookie, the Origin header, the
// CSRF token read from the page. Not part of the build.

import { type EngineTestApp, openTestApp, type TestAppOptions } from '../testing/test-app.js';
import { hashPassword } from '../users/password-hash.js';
import type { Role } from '../users/roles.js';
import type { User } from '../users/user-store.js';

export const uiOrigin = 'https://weft.example.com';
export const testPassword = 'correct horse battery staple';

export interface UiClient {
  readonly user: User;
  /** The session's CSRF token, as the pages carry it. */
  readonly csrfToken: string;
  get(path: string): Promise<Response>;
  /** A form post from a page of this server, with the CSRF token unless `_csrf` is given. */
  post(
    path: string,
    form?: Record<string, string>,
    init?: { readonly headers?: Record<string, string> },
  ): Promise<Response>;
  readonly cookie: string;
}

export interface UiTestApp extends EngineTestApp {
  createUser(role: Role, email?: string): Promise<User>;
  /** Logs in through the login form, as `role` (a new user of that role unless `user` is given). */
  loginAs(role: Role, user?: User): Promise<UiClient>;
}

// One hash for every test user: scrypt costs ~100 ms a hash.
let sharedHash: Promise<string> | undefined;

/** The web UI's test app, on the engine the matrix names (testing/test-app.ts openTestApp). */
export async function openUiTestApp(options: TestAppOptions = {}): Promise<UiTestApp> {
  const harness = await openTestApp(options);
  const { app, store } = harness;
  let count = 0;
  const createUser = async (role: Role, email = `${role}-${++count}@example.com`) => {
    sharedHash ??= hashPassword(testPassword);
    const user = await store.users.accounts.create({ email, role, passwordHash: await sharedHash });
    if (!user) throw new Error(`a user with email ${email} exists`);
    return user;
  };
  const loginAs = async (role: Role, given?: User): Promise<UiClient> => {
    const user = given ?? (await createUser(role));
    const answer = await app.request('/ui/login', {
      method: 'POST',
      headers: { Origin: uiOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: testPassword, next: '/ui/contacts' }).toString(),
    });
    if (answer.status !== 303) throw new Error(`login answered ${answer.status}: ${await answer.text()}`);
    const cookie = (answer.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const page = await (await app.request('/ui/contacts', { headers: { Cookie: cookie } })).text();
    const csrfToken = /<meta name="csrf-token" content="([^"]+)"/.exec(page)?.[1];
    if (!csrfToken) throw new Error('no CSRF token on the contacts page');
    return {
      user,
      csrfToken,
      cookie,
      get: async (path) => app.request(path, { headers: { Cookie: cookie } }),
      post: async (path, form = {}, init = {}) =>
        app.request(path, {
          method: 'POST',
          headers: {
            Cookie: cookie,
            Origin: uiOrigin,
            'Content-Type': 'application/x-www-form-urlencoded',
            ...init.headers,
          },
          body: new URLSearchParams({ _csrf: csrfToken, ...form }).toString(),
        }),
    };
  };
  return { ...harness, createUser, loginAs };
}

/** The text of a page without its tags, for asserting what a person would read. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
