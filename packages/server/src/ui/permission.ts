import type { MiddlewareHandler } from 'hono';
import { can, type Permission } from '../users/roles.js';
import type { UiEnv } from './ui-env.js';
import { UiError } from './ui-error.js';

const refusals: Record<Permission, string> = {
  read: 'Your role cannot see this page.',
  edit: 'Your role (viewer) can look but not change anything. Ask an admin for the member role.',
  erase: 'Only admins can erase a contact.',
  administer: 'Only admins can manage users, keys and the audit log.',
};

/** Refuses, with what is missing, a request whose user's role lacks `permission` (users/roles.ts). */
export function requirePermission(permission: Permission): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (!can(c.get('user').role, permission)) throw new UiError(403, refusals[permission]);
    await next();
  };
}

/** The same check inside a handler. */
export function assertPermission(
  c: { get(key: 'user'): { role: Parameters<typeof can>[0] } },
  permission: Permission,
): void {
  if (!can(c.get('user').role, permission)) throw new UiError(403, refusals[permission]);
}
