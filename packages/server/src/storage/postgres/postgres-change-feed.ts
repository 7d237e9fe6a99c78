import pg from 'pg';
import type { NewChange, StoredChange } from '../../changes/change.js';
import type { ChangeStore } from '../../changes/change-store.js';
import type { PostgresPool } from './postgres-pool.js';

// The lock every feed write holds from its insert to its commit: "feed" in ASCII.
const feedLockKey = 0x66_65_65_64;
/**
 * The channel a commit that recorded changes notifies, so that every server's readers wake (not only
 * its own): one per schema, as a database may hold several Weft schemas (the tests do).
 */
const channelPrefix = 'weft_changes_';

const columns = 'seq, type, contact_id AS "contactId", at, data';

/**
 * Appends a write's changes, inside its transaction, as its last statements: the feed's lock is
 * taken first and held until the transaction ends, so the seqs taken here are above every seq
 * already committed and below every seq committed after. Readers then read a prefix that never
 * grows in the middle. The cost: writers queue here for the insert and the commit (not for the
 * rest of their transaction). NOTIFY is sent at commit, and not at all on a rollback.
 */
export async function appendChanges(
  client: pg.PoolClient,
  changes: readonly NewChange[],
  at: number,
): Promise<number[]> {
  if (changes.length === 0) return [];
  // One statement, one round trip: the lock (a CTE every inserted row joins, so it is held before
  // any seq is taken), the rows, and the notification (folded to one per transaction by PostgreSQL).
  const { rows } = await client.query<{ seq: number }>(
    `WITH feed_lock AS (SELECT pg_advisory_xact_lock($1)),
     inserted AS (
       INSERT INTO changes (type, profile_id, contact_id, at, data)
       SELECT type, profile_id, contact_id, $2, data
       FROM feed_lock, unnest($3::text[], $4::bigint[], $5::text[], $6::text[]) AS row (type, profile_id, contact_id, data)
       RETURNING seq)
     SELECT seq, pg_notify('${channelPrefix}' || current_schema(), '') FROM inserted ORDER BY seq`,
    [
      feedLockKey,
      at,
      changes.map((change) => change.type),
      changes.map((change) => change.profileId),
      changes.map((change) => change.contactId),
      changes.map((change) => JSON.stringify(change.data)),
    ],
  );
  return rows.map((row) => row.seq);
}

export type PostgresChangeFeed = Pick<ChangeStore, 'read' | 'head' | 'onCommit'> & {
  /** Stops listening for other servers' commits. */
  close(): Promise<void>;
};

/**
 * The read side of the feed on PostgreSQL: in seq order after a position, by type; the head; and
 * listeners woken after any server's commit that recorded changes (LISTEN on one connection of its
 * own, opened with the first listener).
 */
export function createPostgresChangeFeed(
  pool: PostgresPool,
  options: { readonly url: string; readonly schema?: string | undefined },
): PostgresChangeFeed {
  const schema = options.schema ?? 'public';
  const listeners = new Set<() => void>();
  let listening: Promise<pg.Client> | undefined;
  const listen = () => {
    listening ??= (async () => {
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      client.on('notification', () => {
        for (const listener of [...listeners]) listener();
      });
      await client.query(`LISTEN "${channelPrefix}${schema}"`);
      return client;
    })();
    return listening;
  };
  return {
    async read({ after, limit, types }) {
      const { rows } = types
        ? await pool.query<StoredChange>(
            `SELECT ${columns} FROM changes WHERE seq > $1 AND type = ANY($2) ORDER BY seq LIMIT $3`,
            [after, types, limit],
          )
        : await pool.query<StoredChange>(`SELECT ${columns} FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`, [
            after,
            limit,
          ]);
      return rows;
    },
    async head() {
      const { rows } = await pool.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM changes');
      return rows[0]?.seq ?? 0;
    },
    onCommit(listener) {
      listeners.add(listener);
      void listen().catch(() => {
        // A listener without a connection hears nothing: the next onCommit tries again.
        listening = undefined;
      });
      return () => listeners.delete(listener);
    },
    async close() {
      const client = await listening?.catch(() => undefined);
      listening = undefined;
      await client?.end();
    },
  };
}
