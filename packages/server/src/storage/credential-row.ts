import { type Credential, defaultSource, type WriteKeyOptions } from '../auth/credential-store.js';
import { type CredentialKind, generateCredentialId, secretHint, type WriteKeyKind } from '../auth/secrets.js';

/** A credential as both engines keep it (its secret only as a hash, not read back). */
export interface CredentialRow {
  id: string;
  kind: CredentialKind;
  source: string | null;
  write_key_kind: WriteKeyKind | null;
  hint: string;
  created_at: number;
  revoked_at: number | null;
}

export function toCredential(row: CredentialRow): Credential {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    writeKeyKind: row.write_key_kind,
    hint: row.hint,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** A new credential's row: a write key with its source and kind, an admin token with neither. */
export function newCredentialRow(
  kind: CredentialKind,
  secret: string,
  options: WriteKeyOptions,
  at: number,
): CredentialRow {
  const isWriteKey = kind === 'write_key';
  return {
    id: generateCredentialId(),
    kind,
    source: isWriteKey ? (options.source ?? defaultSource) : null,
    write_key_kind: isWriteKey ? (options.writeKeyKind ?? 'client') : null,
    hint: secretHint(secret),
    created_at: at,
    revoked_at: null,
  };
}
