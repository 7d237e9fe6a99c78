import { Hono } from 'hono';
import { clientAddress } from '../http/client-address.js';
import { busy, type PasswordGate } from '../users/password-gate.js';
import { maxPasswordLength, verifyAgainstNobody, verifyPassword } from '../users/password-hash.js';
import type { UserStore } from '../users/user-store.js';
import { formPassword, formText } from './form-fields.js';
import type { LoginThrottle } from './login-throttle.js';
import { LoginPage } from './pages/login-page.js';
import { renderPage } from './render-page.js';
import { clearSessionCookie, writeSessionCookie } from './session-cookie.js';
import type { UiEnv } from './ui-env.js';
import type { UiSettings } from './ui-settings.js';

export interface LoginRouteDeps {
  readonly users: UserStore;
  readonly settings: UiSettings;
  readonly throttle: LoginThrottle;
  /** Bounds the password checks running at once (users/password-gate.ts). */
  readonly passwordGate: PasswordGate;
}

const wrong = 'That email and password do not match a user who may log in.';

/** Where a login may send the browser on: a UI path of this server, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/ui\/[^/\\]/.test(next) && !next.includes('\\') ? next : '/ui/contacts';
}

/** GET and POST /ui/login, POST /ui/logout (the Origin check runs before these; logout also needs the CSRF token). */
export function createLoginRoutes(deps: LoginRouteDeps): Hono {
  const routes = new Hono();
  const { accounts, sessions } = deps.users;
  const hasUsers = async () => (await accounts.list()).length > 0;

  routes.get('/login', async (c) =>
    renderPage(c, <LoginPage next={safeNext(c.req.query('next'))} hasUsers={await hasUsers()} />),
  );

  routes.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const email = formText(form, 'email');
    const password = formPassword(form, 'password');
    const next = safeNext(form.next);
    const address = clientAddress(c);
    const refuse = async (error: string, status: 401 | 429 | 503) =>
      renderPage(c, <LoginPage next={next} email={email} error={error} hasUsers={await hasUsers()} />, status);
    if (deps.throttle.isLocked(email, address)) {
      return refuse('Too many failed attempts for this email from here. Wait 15 minutes, then try again.', 429);
    }
    const user = email === '' ? undefined : await accounts.byEmail(email);
    const isMatch = await deps.passwordGate.run(() =>
      user && password.length <= maxPasswordLength
        ? verifyPassword(password, user.passwordHash)
        : verifyAgainstNobody(password.slice(0, maxPasswordLength)),
    );
    if (isMatch === busy) {
      // Not a failure: nothing was checked. The browser is told to come back in a moment.
      c.header('Retry-After', '2');
      return refuse('The server is busy checking other logins. Try again in a moment.', 503);
    }
    if (!user || !isMatch || user.disabledAt !== null) {
      deps.throttle.recordFailure(email, address);
      return refuse(wrong, 401);
    }
    deps.throttle.recordSuccess(email, address);
    const opened = await sessions.open(user.id, c.req.header('User-Agent'));
    writeSessionCookie(c, deps.settings, opened.secret);
    return c.redirect(next, 303);
  });

  return routes;
}

/** POST /ui/logout: ends this session (behind the session check, so it needs the CSRF token). */
export function createLogoutRoutes(deps: Pick<LoginRouteDeps, 'users' | 'settings'>) {
  const routes = new Hono<UiEnv>();
  routes.post('/logout', async (c) => {
    await deps.users.sessions.revoke(c.get('user').id, c.get('session').id);
    clearSessionCookie(c, deps.settings);
    return c.redirect('/ui/login', 303);
  });
  return routes;
}
