import { createHash, randomBytes } from 'node:crypto';

export type CredentialKind = 'write_key' | 'admin_token';

/**
 * What a write key is for: `client` keys ship inside browsers and apps, where anyone can read them;
 * `server` keys stay on a backend. The identity rules say which identifier types events sent with
 * each kind may join contacts on (identity/join-rule.ts).
 */
export const writeKeyKinds = ['client', 'server'] as const;
export type WriteKeyKind = (typeof writeKeyKinds)[number];

export function isWriteKeyKind(value: string): value is WriteKeyKind {
  return (writeKeyKinds as readonly string[]).includes(value);
}

const prefixes: Record<CredentialKind, string> = { write_key: 'wk_', admin_token: 'adm_' };

/** 256 random bits: long enough that a fast hash (SHA-256) is as safe to store as a slow one. */
export function generateSecret(kind: CredentialKind): string {
  return prefixes[kind] + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The last characters, so that a person can tell keys apart in `keys list` without the secret. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}

export function generateCredentialId(): string {
  return `cred_${randomBytes(6).toString('hex')}`;
}
