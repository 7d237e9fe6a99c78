import type { Credential } from '../auth/credential-store.js';
import type { CredentialKind, WriteKeyKind } from '../auth/secrets.js';

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
