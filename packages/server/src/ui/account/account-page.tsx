import { minPasswordLength } from '../../users/password-hash.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { NewPasswordInput } from './new-password-input.js';
import { type SessionsView, SessionTable } from './session-table.js';

export interface AccountView extends SessionsView {
  /** Why the password form was refused. */
  readonly passwordError?: string | undefined;
}

/** GET /ui/account: who you are, your sessions, and your password. */
export function AccountPage(props: PageFrame & AccountView) {
  const { viewer } = props;
  if (!viewer) return null;
  return (
    <Layout {...props}>
      <h1>Your account</h1>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{viewer.user.email}</dd>
        <dt>Name</dt>
        <dd>{viewer.user.name ?? ''}</dd>
        <dt>Role</dt>
        <dd>{viewer.user.role}</dd>
      </dl>
      <h2>Your sessions</h2>
      <p class="muted">Each browser you logged in from. Revoke one you do not recognise, then change your password.</p>
      <SessionTable
        caption="Your sessions"
        sessions={props.sessions}
        timing={props.timing}
        now={props.now}
        currentId={viewer.session.id}
        viewerSession={viewer.session}
        revokeAction={(session) => `/ui/account/sessions/${encodeURIComponent(session.id)}/revoke`}
      />
      <form method="post" action="/ui/account/sessions/revoke-others">
        <CsrfField session={viewer.session} />
        <button type="submit" class="danger">
          Log out everywhere else
        </button>
      </form>
      <h2 id="password-heading">Change your password</h2>
      <ErrorBox message={props.passwordError} />
      <form method="post" action="/ui/account/password" class="stack" aria-labelledby="password-heading">
        <CsrfField session={viewer.session} />
        <label for="current-password">Current password</label>
        <input id="current-password" name="current" type="password" required autocomplete="current-password" />
        <label for="new-password">New password (at least {minPasswordLength} characters)</label>
        <NewPasswordInput id="new-password" name="password" />
        <label for="confirm-password">New password again</label>
        <NewPasswordInput id="confirm-password" name="confirm" />
        <p class="muted small">Changing it logs you out everywhere else.</p>
        <button type="submit" class="primary">
          Change password
        </button>
      </form>
    </Layout>
  );
}
