/** Who may do what in the web UI: one table, read by every page and form handler. */

export const roles = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export type Permission =
  /** Read contacts, companies, audiences, imports. */
  | 'read'
  /** Edit contacts and notes, merge, import, export lists, define audiences. */
  | 'edit'
  /** Erase a contact (removes it for good). */
  | 'erase'
  /** Users, roles, sessions of others, keys, the audit log. */
  | 'administer';

// Export is a member's: a viewer reads on screen, and a bulk copy leaving the server is a write's worth of trust.
const granted: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(['read', 'edit', 'erase', 'administer']),
  member: new Set(['read', 'edit']),
  viewer: new Set(['read']),
};

export function can(role: Role, permission: Permission): boolean {
  return granted[role].has(permission);
}
