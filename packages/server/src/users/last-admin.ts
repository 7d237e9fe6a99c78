import type { Role } from './roles.js';
import type { User } from './user-store.js';

export interface AccountChange {
  readonly role?: Role | undefined;
  readonly isDisabled?: boolean | undefined;
}

/**
 * Why `change` to `user` must be refused because it would leave no active admin (nobody could then
 * manage users or keys from the UI), or undefined when it may go ahead. `activeAdmins` counts
 * enabled admins, `user` included when it is one.
 */
export function lastAdminProblem(
  user: Pick<User, 'email' | 'role' | 'disabledAt'>,
  change: AccountChange,
  activeAdmins: number,
): string | undefined {
  const isActiveAdmin = user.role === 'admin' && user.disabledAt === null;
  const staysActiveAdmin = (change.role ?? user.role) === 'admin' && !(change.isDisabled ?? user.disabledAt !== null);
  if (!isActiveAdmin || staysActiveAdmin || activeAdmins > 1) return undefined;
  return `${user.email} is the last active admin: make another user an admin first, or nobody could manage users and keys.`;
}
