import type { SqliteDatabase } from '../storage/open-database.js';
import type { CredentialKind, WriteKeyKind } from './secrets.js';
import { generateCredentialId, generateSecret, hashSecret, secretHint } from './secrets.js';

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
  create(kind: CredentialKind, options?: WriteKeyOptions): { credential: Credential; secret: string };
  /** Stores a secret given from outside (env seeding). Does nothing when it is already stored. */
  seed(kind: CredentialKind, secret: string, options?: WriteKeyOptions): Credential;
  list(): Credential[];
  revoke(id: string): boolean;
  countEver(kind: CredentialKind): number;
  findWriteKey(secret: string): WriteKeyOwner | undefined;
  verifyAdminToken(secret: string): boolean;
}

interface CredentialRow {
  id: string;
  kind: CredentialKind;
  source: string | null;
  write_key_kind: WriteKeyKind | null;
  hint: string;
  created_at: number;
  revoked_at: number | null;
}

export const defaultSource = 'default';

export function createCredentialStore(db: SqliteDatabase, now: () => number = Date.now): CredentialStore {
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
    const isWriteKey = kind === 'write_key';
    const row: CredentialRow = {
      id: generateCredentialId(),
      kind,
      source: isWriteKey ? (options.source ?? defaultSource) : null,
      write_key_kind: isWriteKey ? (options.writeKeyKind ?? 'client') : null,
      hint: secretHint(secret),
      created_at: now(),
      revoked_at: null,
    };
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

function toCredential(row: CredentialRow): Credential {
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
