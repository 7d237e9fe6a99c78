import {
  type Credential,
  type CredentialStore,
  defaultSource,
  type WriteKeyOptions,
} from '../../auth/credential-store.js';
import type { CredentialKind } from '../../auth/secrets.js';
import { generateSecret, hashSecret } from '../../auth/secrets.js';
import { type CredentialRow, newCredentialRow, toCredential } from '../credential-row.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

export function createCredentialStore(db: SqliteDatabase, now: () => number = Date.now): Synchronous<CredentialStore> {
  const insertCredential = db.prepare(
    `INSERT INTO credentials (id, kind, source, write_key_kind, secret_hash, hint, created_at)
     VALUES (@id, @kind, @source, @writeKeyKind, @secretHash, @hint, @createdAt)`,
  );
  const selectByHash = db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE secret_hash = ?');
  const selectActiveByHash = db.prepare<[string, CredentialKind], CredentialRow>(
    'SELECT * FROM credentials WHERE secret_hash = ? AND kind = ? AND revoked_at IS NULL',
  );
  const selectAll = db.prepare<[], CredentialRow>('SELECT * FROM credentials ORDER BY created_at, id');
  const markRevoked = db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const countByKind = db.prepare<[CredentialKind], number>('SELECT count(*) FROM credentials WHERE kind = ?').pluck();

  function insert(kind: CredentialKind, secret: string, options: WriteKeyOptions): Credential {
    const row = newCredentialRow(kind, secret, options, now());
    insertCredential.run({
      id: row.id,
      kind,
      source: row.source,
      writeKeyKind: row.write_key_kind,
      secretHash: hashSecret(secret),
      hint: row.hint,
      createdAt: row.created_at,
    });
    return toCredential(row);
  }

  return {
    create(kind, options = {}) {
      const secret = generateSecret(kind);
      return { credential: insert(kind, secret, options), secret };
    },
    seed(kind, secret, options = {}) {
      const existing = selectByHash.get(hashSecret(secret));
      if (existing) return toCredential(existing);
      return insert(kind, secret, options);
    },
    list: () => selectAll.all().map(toCredential),
    revoke: (id) => markRevoked.run(now(), id).changes === 1,
    countEver: (kind) => countByKind.get(kind) as number,
    findWriteKey(secret) {
      const row = selectActiveByHash.get(hashSecret(secret), 'write_key');
      if (!row) return undefined;
      return {
        credentialId: row.id,
        source: row.source ?? defaultSource,
        writeKeyKind: row.write_key_kind ?? 'client',
      };
    },
    verifyAdminToken: (secret) => selectActiveByHash.get(hashSecret(secret), 'admin_token') !== undefined,
  };
}
