import { minPasswordLength } from '../../users/password-hash.js';
import { type Role, roles } from '../../users/roles.js';
import type { User } from '../../users/user-store.js';
import { NewPasswordInput } from '../account/new-password-input.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { AdminNav } from './admin-nav.js';

export interface NewUserForm {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

export interface UsersView {
  readonly users: readonly User[];
  /** What the create form refused, with what was typed (never the password). */
  readonly error?: string | undefined;
  readonly form?: NewUserForm | undefined;
}

export function RoleOptions(props: { readonly selected: Role }) {
  return roles.map((role) => (
    <option value={role} selected={role === props.selected}>
      {role}
    </option>
  ));
}

/** GET /ui/admin: every user, and the form that creates one. */
export function UsersPage(props: PageFrame & UsersView) {
  const { viewer } = props;
  const form = props.form ?? { email: '', name: '', role: 'member' };
  return (
    <Layout {...props}>
      <h1>Admin</h1>
      <AdminNav current="users" />
      <h2>Users</h2>
      <DataTable caption="Users" columns={['Email', 'Name', 'Role', 'Created', 'Disabled']}>
        {props.users.map((user) => (
          <tr>
            <td>
              <a href={`/ui/admin/users/${encodeURIComponent(user.id)}`}>{user.email}</a>
            </td>
            <td>{user.name ?? ''}</td>
            <td>{user.role}</td>
            <td>{formatTime(user.createdAt)}</td>
            <td>{user.disabledAt === null ? 'No' : `Since ${formatTime(user.disabledAt)}`}</td>
          </tr>
        ))}
      </DataTable>
      <h2 id="create-user">Create a user</h2>
      <ErrorBox message={props.error} />
      {viewer ? (
        <form method="post" action="/ui/admin/users" class="stack" aria-labelledby="create-user">
          <CsrfField session={viewer.session} />
          <label for="new-email">Email</label>
          <input id="new-email" name="email" type="email" required maxlength={320} value={form.email} />
          <label for="new-name">Name (optional)</label>
          <input id="new-name" name="name" type="text" maxlength={200} value={form.name} />
          <label for="new-role">Role</label>
          <select id="new-role" name="role">
            <RoleOptions selected={form.role} />
          </select>
          <label for="new-password">Initial password (at least {minPasswordLength} characters)</label>
          <NewPasswordInput id="new-password" name="password" />
          <p class="muted small">Give it to them by a safe channel; they can change it on their account page.</p>
          <button type="submit" class="primary">
            Create user
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
