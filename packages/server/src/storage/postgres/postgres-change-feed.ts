import pg from 'pg';
import type { NewChange, StoredChange } from '../../changes/change.js';
import type { ChangeStore, PruneRequest } from '../../changes/change-store.js';
import { firstYoungSeqAsync } from '../../changes/first-young-seq.js';
import { inTransaction, type PostgresPool } from './postgres-pool.js';

// The lock every feed write holds from its insert to its commit: "feed" in ASCII.
const feedLockKey = 0x66_65_65_64;
// The lock a prune holds: "prun" in ASCII. A webhook queue's read holds it shared (no prune between
// its horizon read and its changes read).
export const pruneLockKey = 0x70_72_75_6e;
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

export type PostgresChangeFeed = ChangeStore & {
  /** Stops listening for other servers' commits. */
  close(): Promise<void>;
};

/**
 * The feed on PostgreSQL, but its writes (appendChanges): reads in seq order after a position, by
 * type; the head; listeners woken after any server's commit that recorded changes (LISTEN on one
 * connection of its own, opened with the first listener); and retention, as SQLite's
 * (storage/sqlite/sqlite-change-store.ts): pruning by class and age in slices, never past a
 * consumer it waits for, with the horizons a reader's cursor is checked against.
 */
export function createPostgresChangeFeed(
  pool: PostgresPool,
  options: { readonly url: string; readonly schema?: string | undefined; readonly now: () => number },
): PostgresChangeFeed {
  const listeners = new Set<() => void>();
  let listening: Promise<pg.Client> | undefined;
  const listen = () => {
    listening ??= (async () => {
      const client = new pg.Client({
        connectionString: options.url,
        ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
      });
      // A connection lost (the database restarting) is opened again by the next onCommit or listening().
      client.on('error', () => {
        listening = undefined;
      });
      await client.connect();
      client.on('notification', () => {
        for (const listener of [...listeners]) listener();
      });
      // The channel the commits notify: named by the schema they write in, as this connection
      // sees it (a search_path in the URL or the pool's options).
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      await client.query(`LISTEN "${channelPrefix}${rows[0]?.schema}"`);
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
    head: () => headOf(pool),
    async horizons() {
      const { rows } = await pool.query<{ name: string; value: number }>('SELECT name, value FROM change_horizons');
      const values = Object.fromEntries(rows.map((row) => [row.name, row.value]));
      return { events: values.events ?? 0, contacts: values.contacts ?? 0 };
    },
    prune: (request) => inTransaction(pool, (client) => pruneSlice(client, request)),
    async saveConsumer({ name, position, isEnabled }) {
      await saveConsumer(pool, { name, position, isEnabled }, options.now());
    },
    async heldAt(at, maxAgeMs) {
      const { rows } = await pool.query<{ held: number | null }>(
        'SELECT min(position) AS held FROM change_consumers WHERE is_enabled AND updated_at >= $1',
        [at - maxAgeMs],
      );
      return rows[0]?.held ?? Number.POSITIVE_INFINITY;
    },
    onCommit(listener) {
      listeners.add(listener);
      void listen().catch(() => {
        // A listener without a connection hears nothing: the next onCommit tries again.
        listening = undefined;
      });
      return () => listeners.delete(listener);
    },
    async listening() {
      if (listeners.size > 0) await listen();
    },
    async close() {
      const client = await listening?.catch(() => undefined);
      listening = undefined;
      await client?.end();
    },
  };
}

/** The seq of the newest change (0 when there is none). */
async function headOf(db: Pick<PostgresPool, 'query'>): Promise<number> {
  // The newest change may have been pruned (an event.stored after 7 days): the horizons keep the
  // highest seq pruning removed, so a head read after it is never a cursor from before the prune.
  const { rows } = await db.query<{ seq: number }>(
    `SELECT greatest((SELECT coalesce(max(seq), 0) FROM changes),
                     (SELECT coalesce(max(value), 0) FROM change_horizons)) AS seq`,
  );
  return rows[0]?.seq ?? 0;
}

/** Records how far a consumer has read (a webhook endpoint's queue does it in its own transaction). */
export async function saveConsumer(
  db: Pick<PostgresPool, 'query'>,
  consumer: { readonly name: string; readonly position: number; readonly isEnabled: boolean },
  at: number,
): Promise<void> {
  await db.query(
    `INSERT INTO change_consumers (name, position, is_enabled, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, is_enabled = excluded.is_enabled,
       updated_at = excluded.updated_at`,
    [consumer.name, consumer.position, consumer.isEnabled, at],
  );
}

const classes = [
  ['events', "type = 'event.stored'", 'eventsBefore'],
  ['contacts', "type <> 'event.stored'", 'contactsBefore'],
] as const;

/** One slice of what retention lets go, and the horizons raised to it, in one transaction. */
async function pruneSlice(client: pg.PoolClient, request: PruneRequest): Promise<number> {
  // Servers pruning at once take turns (each would delete the same rows).
  await client.query('SELECT pg_advisory_xact_lock($1)', [pruneLockKey]);
  const { rows: horizonRows } = await client.query<{ name: string; value: number }>(
    'SELECT name, value FROM change_horizons',
  );
  const horizons = Object.fromEntries(horizonRows.map((row) => [row.name, row.value]));
  const held = Number.isFinite(request.heldAt) ? request.heldAt : Number.MAX_SAFE_INTEGER;
  const firstFrom = async (seq: number) =>
    (
      await client.query<{ seq: number; at: number }>(
        'SELECT seq, at FROM changes WHERE seq >= $1 ORDER BY seq LIMIT 1',
        [seq],
      )
    ).rows[0];
  let removed = 0;
  for (const [name, ofClass, beforeField] of classes) {
    const limit = request.maxRows - removed;
    if (limit <= 0) break;
    const after = horizons[name] ?? 0;
    const before = request[beforeField];
    // The scan stops at the first change young enough to keep (first-young-seq.ts).
    const last = Math.min(held, await headOf(client));
    const young = await firstYoungSeqAsync(firstFrom, { after, last, before });
    const { rows } = await client.query<{ seq: number }>(
      `DELETE FROM changes WHERE seq IN (
         SELECT seq FROM changes WHERE seq > $1 AND seq < $2 AND at < $3 AND ${ofClass} ORDER BY seq LIMIT $4)
       RETURNING seq`,
      [after, young, before, limit],
    );
    if (rows.length > 0) {
      await client.query('UPDATE change_horizons SET value = GREATEST(value, $1) WHERE name = $2', [
        Math.max(...rows.map((row) => row.seq)),
        name,
      ]);
    }
    removed += rows.length;
  }
  return removed;
}
