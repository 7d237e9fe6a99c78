import { type Context, Hono } from 'hono';
import { clientAddress } from '../../http/client-address.js';
import { busy, type PasswordGate } from '../../users/password-gate.js';
import { hashPassword, maxPasswordLength, passwordProblem, verifyPassword } from '../../users/password-hash.js';
import type { UserStore } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { formPassword } from '../form-fields.js';
import type { LoginThrottle } from '../login-throttle.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { clearSessionCookie, writeSessionCookie } from '../session-cookie.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import type { UiSettings } from '../ui-settings.js';
import { AccountPage } from './account-page.js';

export interface AccountDeps {
  readonly users: UserStore;
  readonly settings: UiSettings;
  readonly now: () => number;
  /** The login form's: guessing the current password here counts as guessing it there. */
  readonly throttle: LoginThrottle;
  /** The login form's: one bound on password checks running at once. */
  readonly passwordGate: PasswordGate;
}

/** /ui/account: any logged-in user's own sessions and password. */
export function createAccountRoutes(deps: AccountDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { accounts, sessions, audit } = deps.users;

  const showAccount = async (c: Context<UiEnv>, passwordError?: string, status: 400 | 429 | 503 = 400) =>
    renderPage(
      c,
      <AccountPage
        title="Your account"
        section="account"
        viewer={viewerOf(c)}
        notice={passwordError ? undefined : noticeOf(c)}
        sessions={await sessions.listOf(c.get('user').id)}
        timing={deps.settings.sessionTiming}
        now={deps.now()}
        passwordError={passwordError}
      />,
      passwordError ? status : 200,
    );

  /**
   * Ends every session of the user, this one too, and opens a fresh one for this browser: no session
   * is missed however many there are, and this browser's secret changes as well.
   */
  const keepOnlyThisBrowser = async (c: Context<UiEnv>) => {
    const userId = c.get('user').id;
    await sessions.revokeAllOf(userId);
    const opened = await sessions.open(userId, c.req.header('User-Agent'));
    writeSessionCookie(c, deps.settings, opened.secret);
  };

  routes.get('/account', (c) => showAccount(c));

  /** A revocation is audited wherever it is done (admins' in admin/user-routes.tsx). */
  const auditRevoked = (c: Context<UiEnv>, detail: Record<string, unknown>) =>
    auditFromUi(audit, c, {
      action: 'session.revoked',
      target: c.get('user').id,
      detail: { email: c.get('user').email, ...detail },
    });

  routes.post('/account/sessions/revoke-others', async (c) => {
    await keepOnlyThisBrowser(c);
    await auditRevoked(c, { session: 'all others' });
    return redirectDone(c, '/ui/account', 'session_revoked');
  });

  routes.post('/account/sessions/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!(await sessions.revoke(c.get('user').id, id))) {
      throw new UiError(404, 'That session has already ended, or is not one of yours.');
    }
    await auditRevoked(c, { session: id });
    if (id === c.get('session').id) {
      clearSessionCookie(c, deps.settings);
      return c.redirect('/ui/login', 303);
    }
    return redirectDone(c, '/ui/account', 'session_revoked');
  });

  routes.post('/account/password', async (c) => {
    const form = await c.req.parseBody();
    const current = formPassword(form, 'current');
    const password = formPassword(form, 'password');
    const { email } = c.get('user');
    const address = clientAddress(c);
    if (deps.throttle.isLocked(email, address)) {
      return showAccount(c, 'Too many failed attempts for this email from here. Wait 15 minutes, then try again.', 429);
    }
    const user = await accounts.byEmail(email);
    const checked =
      user !== undefined && current.length <= maxPasswordLength
        ? await deps.passwordGate.run(() => verifyPassword(current, user.passwordHash))
        : false;
    if (checked === busy) return showAccount(c, 'The server is busy checking passwords. Try again in a moment.', 503);
    const isCurrentRight = checked;
    if (!user || !isCurrentRight) {
      deps.throttle.recordFailure(email, address);
      return showAccount(c, 'Your current password is not the one you typed.');
    }
    const problem = passwordProblem(password);
    if (problem) return showAccount(c, problem);
    if (password !== formPassword(form, 'confirm')) return showAccount(c, 'The new password and its repeat differ.');
    await accounts.setPasswordHash(user.id, await hashPassword(password));
    await keepOnlyThisBrowser(c);
    await auditFromUi(audit, c, { action: 'user.password_changed', target: user.id, detail: null });
    return redirectDone(c, '/ui/account', 'password_changed');
  });

  return routes;
}
