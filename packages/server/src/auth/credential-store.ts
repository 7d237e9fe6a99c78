import type { CredentialKind, WriteKeyKind } from './secrets.js';

/** Write keys and admin tokens, stored as hashes (storage/sqlite/credential-store.ts). */

export interface Credential {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly source: string | null;
  /** For a write key: client or server (null for an admin token). */
  readonly writeKeyKind: WriteKeyKind | null;
  readonly hint: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface WriteKeyOwner {
  readonly credentialId: string;
  readonly source: string;
  readonly writeKeyKind: WriteKeyKind;
}

export interface WriteKeyOptions {
  readonly source?: string | undefined;
  /** Default `client`: a key whose use is unknown is treated as one a page may expose. */
  readonly writeKeyKind?: WriteKeyKind | undefined;
}

export interface CredentialStore {
  /** Creates a random secret; the secret is returned once and never stored. */
  create(kind: CredentialKind, options?: WriteKeyOptions): Promise<{ credential: Credential; secret: string }>;
  /** Stores a secret given from outside (env seeding). Does nothing when it is already stored. */
  seed(kind: CredentialKind, secret: string, options?: WriteKeyOptions): Promise<Credential>;
  list(): Promise<Credential[]>;
  revoke(id: string): Promise<boolean>;
  countEver(kind: CredentialKind): Promise<number>;
  findWriteKey(secret: string): Promise<WriteKeyOwner | undefined>;
  verifyAdminToken(secret: string): Promise<boolean>;
}

/** The source a write key made without one sends its events to. */
export const defaultSource = 'default';
