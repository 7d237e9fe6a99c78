import type pg from 'pg';
import { type AudiencePhase, type AudienceSet, compileAudienceSet } from '../../../audiences/audience-set.js';
import { toAudienceDefinition, toComputedDefinition } from '../../audience-rows.js';
import { lockKeyOf } from '../advisory-locks.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

/** The definitions' advisory lock: shared by every transaction that evaluates, exclusive to one that changes them. */
const definitionsLock = String(lockKeyOf('audience\u0000definitions'));

/**
 * The audience set every server evaluates with, one across servers. Each transaction that counts
 * or evaluates takes the definitions' lock shared (before any other lock, so that a writer queued
 * for it never closes a circle) and reads the version; a server reloads the set when the version
 * moved. A transaction that changes a definition or a phase takes the lock exclusive, so it waits
 * for every open ingest transaction and none starts until it commits: no event is counted under an
 * old set, and a new metric's high-water mark (an events.id) has no uncommitted event below it.
 */
export interface PostgresAudienceRegistry {
  /** In a transaction that evaluates: the set current in it. */
  enter(client: pg.PoolClient): Promise<AudienceSet>;
  /** In a transaction that changes definitions: waits for the exclusive lock, bumps the version, answers the set as it stands. */
  change(client: pg.PoolClient): Promise<AudienceSet>;
  /** The exclusive lock alone, for a backfill step, which bumps the version only when a phase moved. */
  hold(client: pg.PoolClient): Promise<AudienceSet>;
  bump(client: pg.PoolClient): Promise<void>;
}

interface DefinitionsRow {
  readonly version: number;
  readonly audiences: { id: string; name: string; rule: string; phase: AudiencePhase }[];
  readonly computed: { id: string; name: string; calculation: string; phase: AudiencePhase }[];
}

export function createPostgresAudienceRegistry(): PostgresAudienceRegistry {
  let cached: { readonly version: number; readonly set: AudienceSet } | undefined;

  async function load(client: pg.PoolClient): Promise<{ version: number; set: AudienceSet }> {
    const { rows } = await client.query<DefinitionsRow>(
      `SELECT version,
         (SELECT coalesce(json_agg(json_build_array(id, name, rule, phase) ORDER BY created_at, seq), '[]')
            FROM audiences) AS audiences,
         (SELECT coalesce(json_agg(json_build_array(id, name, calculation, phase) ORDER BY created_at, id COLLATE "C"), '[]')
            FROM computed_traits) AS computed
       FROM audience_definitions_version`,
    );
    const row = rows[0] as unknown as {
      version: number;
      audiences: [string, string, string, AudiencePhase][];
      computed: [string, string, string, AudiencePhase][];
    };
    const set = compileAudienceSet(
      row.audiences.map(([id, name, rule, phase]) => toAudienceDefinition({ id, name, rule, phase })),
      'rule',
      row.computed.map(([id, name, calculation, phase]) => toComputedDefinition({ id, name, calculation, phase })),
    );
    return { version: row.version, set };
  }

  async function hold(client: pg.PoolClient): Promise<AudienceSet> {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [definitionsLock]);
    // Not cached: what this transaction changes may roll back.
    return (await load(client)).set;
  }
  async function bump(client: pg.PoolClient): Promise<void> {
    await client.query('UPDATE audience_definitions_version SET version = version + 1');
  }

  return {
    async enter(client) {
      await client.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [definitionsLock]);
      // A statement of its own: it sees what the last writer committed before the lock was granted.
      const { rows } = await client.query<{ version: number }>('SELECT version FROM audience_definitions_version');
      const version = (rows[0] as { version: number }).version;
      if (cached?.version !== version) cached = await load(client);
      return cached.set;
    },
    async change(client) {
      const set = await hold(client);
      await bump(client);
      return set;
    },
    hold,
    bump,
  };
}

/** Transactions over the definitions: `reading` holds their lock shared, `changing` exclusive with the version bumped. */
export function definitionTransactions(pool: PostgresPool, registry: PostgresAudienceRegistry) {
  type Work<T> = (client: pg.PoolClient, set: AudienceSet) => Promise<T>;
  return {
    reading: <T>(work: Work<T>) => inTransaction(pool, async (client) => work(client, await registry.enter(client))),
    changing: <T>(work: Work<T>) => inTransaction(pool, async (client) => work(client, await registry.change(client))),
  };
}
