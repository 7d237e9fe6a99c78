import type { Role } from './roles.js';

/** People who log in to the web UI, their sessions, their saved views, and the audit log. */

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export interface NewUser {
  readonly email: string;
  readonly name?: string | undefined;
  readonly role: Role;
  /** Already hashed (users/password-hash.ts): the store never sees a password. */
  readonly passwordHash: string;
}

export interface Session {
  readonly id: string;
  readonly userId: string;
  /** Sent with every form and fetch that changes something (ui/csrf.ts). */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly userAgent: string | null;
  readonly revokedAt: number | null;
}

export interface SessionTiming {
  /** A session unused this long is over. */
  readonly idleMs: number;
  /** …and any session this old, used or not. */
  readonly maxAgeMs: number;
}

export interface UserAccounts {
  /** undefined when the email is taken (emails compare ignoring ASCII case). */
  create(user: NewUser): Promise<User | undefined>;
  list(): Promise<User[]>;
  byId(id: string): Promise<User | undefined>;
  /** With the hash, for a login. */
  byEmail(email: string): Promise<(User & { readonly passwordHash: string }) | undefined>;
  /**
   * Undefined when there is no such user; `last_admin`, with nothing changed, when the change would
   * leave no active admin (users/last-admin.ts), decided in the same transaction as the change, so
   * that two admins demoting each other at once cannot both succeed.
   */
  setRole(id: string, role: Role): Promise<User | 'last_admin' | undefined>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** As setRole; a disabled user's sessions are revoked in the same transaction. */
  setDisabled(id: string, isDisabled: boolean): Promise<User | 'last_admin' | undefined>;
  countAdmins(): Promise<number>;
}

export interface UserSessions {
  /** A new session; `secret` goes in the cookie and only its hash is kept. */
  open(userId: string, userAgent: string | undefined): Promise<{ session: Session; secret: string }>;
  /**
   * The live session a cookie secret names, with its user, or undefined when it is unknown, revoked,
   * idle past `idleMs`, older than `maxAgeMs`, or its user is disabled. Records the use (at most once a
   * minute) unless `isUse` is false: a page refreshing itself in an open tab is not a person using it.
   */
  resume(
    secret: string,
    timing: SessionTiming,
    options?: { readonly isUse?: boolean },
  ): Promise<{ session: Session; user: User } | undefined>;
  listOf(userId: string): Promise<Session[]>;
  /** Only a session of `userId`: one user cannot end another's by guessing ids (admins pass the owner). */
  revoke(userId: string, sessionId: string): Promise<boolean>;
  revokeAllOf(userId: string): Promise<number>;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  /** Who: a user's email, `admin token`, or `cli`. */
  readonly actor: string;
  /** What, such as `contact.erased`, `contacts.exported`, `user.role_changed`. */
  readonly action: string;
  /** On what: a contact, user, key or import id. */
  readonly target: string | null;
  readonly detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
  /** Newest first, `before` an entry id for the next page. */
  list(request: { readonly limit: number; readonly before?: number | undefined }): Promise<AuditEntry[]>;
}

export interface SavedView {
  readonly id: number;
  readonly name: string;
  /** The contacts list's query string. */
  readonly query: string;
}

export interface SavedViews {
  save(userId: string, name: string, query: string): Promise<SavedView>;
  listOf(userId: string): Promise<SavedView[]>;
  remove(userId: string, id: number): Promise<boolean>;
}

export interface UserStore {
  readonly accounts: UserAccounts;
  readonly sessions: UserSessions;
  readonly audit: AuditLog;
  readonly views: SavedViews;
}
