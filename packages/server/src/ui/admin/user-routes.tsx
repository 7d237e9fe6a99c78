import { type Context, Hono } from 'hono';
import { lastAdminProblem } from '../../users/last-admin.js';
import { hashPassword, passwordProblem } from '../../users/password-hash.js';
import { isRole } from '../../users/roles.js';
import type { SessionTiming, User, UserStore } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { formPassword, formText } from '../form-fields.js';
import { requirePermission } from '../permission.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { UserPage } from './user-page.js';
import { type NewUserForm, UsersPage } from './users-page.js';

export interface AdminUserDeps {
  readonly users: UserStore;
  readonly sessionTiming: SessionTiming;
  readonly now: () => number;
}

const userPath = (user: User) => `/ui/admin/users/${encodeURIComponent(user.id)}`;

/** /ui/admin: users, their roles, whether they may log in, and their sessions (admins only). */
export function createAdminUserRoutes(deps: AdminUserDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { accounts, sessions, audit } = deps.users;
  routes.use('/admin', requirePermission('administer'));
  routes.use('/admin/*', requirePermission('administer'));

  const showUsers = async (c: Context<UiEnv>, refused?: { error: string; form: NewUserForm; status: 400 | 409 }) =>
    renderPage(
      c,
      <UsersPage
        title="Users"
        section="admin"
        viewer={viewerOf(c)}
        notice={refused ? undefined : noticeOf(c)}
        users={await accounts.list()}
        error={refused?.error}
        form={refused?.form}
      />,
      refused?.status ?? 200,
    );

  const showUser = async (c: Context<UiEnv>, user: User, error?: string) =>
    renderPage(
      c,
      <UserPage
        title={user.email}
        section="admin"
        viewer={viewerOf(c)}
        notice={error ? undefined : noticeOf(c)}
        user={user}
        sessions={await sessions.listOf(user.id)}
        timing={deps.sessionTiming}
        now={deps.now()}
        error={error}
      />,
      error ? 409 : 200,
    );

  const found = async (c: Context<UiEnv>) => {
    const user = await accounts.byId(c.req.param('id') ?? '');
    if (!user) throw new UiError(404, 'There is no user with this id.');
    return user;
  };

  routes.get('/admin', (c) => showUsers(c));

  routes.post('/admin/users', async (c) => {
    const body = await c.req.parseBody();
    const role = formText(body, 'role');
    const form: NewUserForm = {
      email: formText(body, 'email'),
      name: formText(body, 'name', 200),
      role: isRole(role) ? role : 'member',
    };
    const password = formPassword(body, 'password');
    const problem = !/^[^\s@]+@[^\s@]+$/.test(form.email)
      ? 'email: an address such as ada@example.com'
      : !isRole(role)
        ? 'role: admin, member or viewer'
        : passwordProblem(password);
    if (problem) return showUsers(c, { error: problem, form, status: 400 });
    const user = await accounts.create({ ...form, passwordHash: await hashPassword(password) });
    if (!user) return showUsers(c, { error: `A user with email ${form.email} exists.`, form, status: 409 });
    await auditFromUi(audit, c, {
      action: 'user.created',
      target: user.id,
      detail: { email: user.email, role: user.role },
    });
    return redirectDone(c, '/ui/admin', 'user_created');
  });

  routes.get('/admin/users/:id', async (c) => showUser(c, await found(c)));

  routes.post('/admin/users/:id/role', async (c) => {
    const user = await found(c);
    const role = formText(await c.req.parseBody(), 'role');
    if (!isRole(role)) throw new UiError(400, 'role: admin, member or viewer');
    const problem = lastAdminProblem(user, { role }, await accounts.countAdmins());
    if (problem) return showUser(c, user, problem);
    if (role !== user.role) {
      // Checked again with the change, in one transaction: another admin may have been demoted meanwhile.
      if ((await accounts.setRole(user.id, role)) === 'last_admin') {
        return showUser(c, user, lastAdminProblem(user, { role }, 1));
      }
      await auditFromUi(audit, c, {
        action: 'user.role_changed',
        target: user.id,
        detail: { email: user.email, from: user.role, to: role },
      });
    }
    return redirectDone(c, userPath(user), 'role_changed');
  });

  routes.post('/admin/users/:id/disable', async (c) => {
    const user = await found(c);
    if (user.id === c.get('user').id) return showUser(c, user, 'You cannot disable yourself: ask another admin.');
    const problem = lastAdminProblem(user, { isDisabled: true }, await accounts.countAdmins());
    if (problem) return showUser(c, user, problem);
    // The store revokes their sessions in the same transaction, and checks the last admin again.
    if ((await accounts.setDisabled(user.id, true)) === 'last_admin') {
      return showUser(c, user, lastAdminProblem(user, { isDisabled: true }, 1));
    }
    await auditFromUi(audit, c, { action: 'user.disabled', target: user.id, detail: { email: user.email } });
    return redirectDone(c, userPath(user), 'user_disabled');
  });

  routes.post('/admin/users/:id/enable', async (c) => {
    const user = await found(c);
    await accounts.setDisabled(user.id, false);
    await auditFromUi(audit, c, { action: 'user.enabled', target: user.id, detail: { email: user.email } });
    return redirectDone(c, userPath(user), 'user_enabled');
  });

  routes.post('/admin/users/:id/sessions/:sessionId/revoke', async (c) => {
    const user = await found(c);
    const sessionId = c.req.param('sessionId');
    if (!(await sessions.revoke(user.id, sessionId))) {
      throw new UiError(404, 'That session has already ended, or is not one of this user’s.');
    }
    await auditFromUi(audit, c, {
      action: 'session.revoked',
      target: user.id,
      detail: { email: user.email, session: sessionId },
    });
    return redirectDone(c, userPath(user), 'session_revoked');
  });

  return routes;
}
