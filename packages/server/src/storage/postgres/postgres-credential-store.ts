import {
  type Credential,
  type CredentialStore,
  defaultSource,
  type WriteKeyOptions,
} from '../../auth/credential-store.js';
import type { CredentialKind } from '../../auth/secrets.js';
import { generateSecret, hashSecret } from '../../auth/secrets.js';
import { type CredentialRow, newCredentialRow, toCredential } from '../credential-row.js';
import type { PostgresPool } from './postgres-pool.js';

const columns = 'id, kind, source, write_key_kind, hint, created_at, revoked_at';

/** Write keys and admin tokens on PostgreSQL, as hashes (the SQLite one: storage/sqlite/credential-store.ts). */
export function createPostgresCredentialStore(pool: PostgresPool, now: () => number = Date.now): CredentialStore {
  async function insert(kind: CredentialKind, secret: string, options: WriteKeyOptions): Promise<Credential> {
    const row = newCredentialRow(kind, secret, options, now());
    // A seed racing another server's seed of the same secret: the first row stands, this answers it.
    const { rows } = await pool.query<CredentialRow>(
      `INSERT INTO credentials (id, kind, source, write_key_kind, secret_hash, hint, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (secret_hash) DO UPDATE SET secret_hash = EXCLUDED.secret_hash
       RETURNING ${columns}`,
      [row.id, kind, row.source, row.write_key_kind, hashSecret(secret), row.hint, row.created_at],
    );
    return toCredential(rows[0] ?? row);
  }
  const activeByHash = async (secret: string, kind: CredentialKind) =>
    (
      await pool.query<CredentialRow>(
        `SELECT ${columns} FROM credentials WHERE secret_hash = $1 AND kind = $2 AND revoked_at IS NULL`,
        [hashSecret(secret), kind],
      )
    ).rows[0];

  return {
    async create(kind, options = {}) {
      const secret = generateSecret(kind);
      return { credential: await insert(kind, secret, options), secret };
    },
    seed: (kind, secret, options = {}) => insert(kind, secret, options),
    async list() {
      const { rows } = await pool.query<CredentialRow>(`SELECT ${columns} FROM credentials ORDER BY created_at, id`);
      return rows.map(toCredential);
    },
    async revoke(id) {
      const { rowCount } = await pool.query(
        'UPDATE credentials SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
        [now(), id],
      );
      return rowCount === 1;
    },
    async countEver(kind) {
      const { rows } = await pool.query<{ count: number }>(
        'SELECT count(*)::bigint AS count FROM credentials WHERE kind = $1',
        [kind],
      );
      return rows[0]?.count ?? 0;
    },
    async findWriteKey(secret) {
      const row = await activeByHash(secret, 'write_key');
      if (!row) return undefined;
      return {
        credentialId: row.id,
        source: row.source ?? defaultSource,
        writeKeyKind: row.write_key_kind ?? 'client',
      };
    },
    verifyAdminToken: async (secret) => (await activeByHash(secret, 'admin_token')) !== undefined,
  };
}
