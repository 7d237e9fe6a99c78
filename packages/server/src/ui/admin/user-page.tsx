import type { User } from '../../users/user-store.js';
import { type SessionsView, SessionTable } from '../account/session-table.js';
import { formatTime } from '../format.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { AdminNav } from './admin-nav.js';
import { RoleOptions } from './users-page.js';

export interface UserView extends SessionsView {
  readonly user: User;
  /** Why the last form was refused (the last admin, say). */
  readonly error?: string | undefined;
}

/** GET /ui/admin/users/:id: one user's role, whether they may log in, and their sessions. */
export function UserPage(props: PageFrame & UserView) {
  const { user, viewer } = props;
  const base = `/ui/admin/users/${encodeURIComponent(user.id)}`;
  if (!viewer) return null;
  return (
    <Layout {...props}>
      <h1>User {user.email}</h1>
      <AdminNav current="users" />
      <ErrorBox message={props.error} />
      <dl class="facts">
        <dt>Name</dt>
        <dd>{user.name ?? ''}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
        <dt>Created</dt>
        <dd>{formatTime(user.createdAt)}</dd>
        <dt>Disabled</dt>
        <dd>{user.disabledAt === null ? 'No' : `Since ${formatTime(user.disabledAt)}`}</dd>
      </dl>
      <h2>Role</h2>
      <form method="post" action={`${base}/role`} class="row">
        <CsrfField session={viewer.session} />
        <label for="role">Role of {user.email}</label>
        <select id="role" name="role">
          <RoleOptions selected={user.role} />
        </select>
        <button type="submit">Change role</button>
      </form>
      <h2>Access</h2>
      {user.disabledAt === null ? (
        <form
          method="post"
          action={`${base}/disable`}
          data-confirm={`Disable ${user.email}? Their sessions end at once.`}
        >
          <CsrfField session={viewer.session} />
          <p>Disabling ends every session of this user at once; they cannot log in until enabled.</p>
          <button type="submit" class="danger">
            Disable user
          </button>
        </form>
      ) : (
        <form method="post" action={`${base}/enable`}>
          <CsrfField session={viewer.session} />
          <p>This user cannot log in. Enabling lets them log in again with their password.</p>
          <button type="submit">Enable user</button>
        </form>
      )}
      <h2>Sessions</h2>
      <SessionTable
        caption={`Sessions of ${user.email}`}
        sessions={props.sessions}
        timing={props.timing}
        now={props.now}
        currentId={viewer.session.id}
        viewerSession={viewer.session}
        revokeAction={(session) => `${base}/sessions/${encodeURIComponent(session.id)}/revoke`}
      />
      <p>
        <a href="/ui/admin">Back to users</a>
      </p>
    </Layout>
  );
}
