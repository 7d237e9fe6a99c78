import pg from 'pg';

/** A pool of connections to PostgreSQL, its numbers as the stores expect them. */
export type PostgresPool = pg.Pool;

// int8 (BIGINT: epoch milliseconds, counts) as a number: every value the stores keep is below 2^53.
const bigintOid = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === bigintOid
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresPoolOptions {
  /** Every connection uses this schema first (tests give each test a schema of its own). */
  readonly schema?: string | undefined;
  readonly max?: number | undefined;
}

export function createPostgresPool(url: string, options: PostgresPoolOptions = {}): PostgresPool {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: PostgresPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// deadlock_detected, serialization_failure: the transaction lost to another and may simply run again.
const lostCodes = new Set(['40P01', '40001']);

/**
 * inTransaction, run again (up to `attempts` times) when PostgreSQL broke a deadlock by failing this
 * one: for a person's write (an erasure, a merge) that may meet another's locks in the other order.
 */
export async function inTransactionRetried<T>(
  pool: PostgresPool,
  work: (client: pg.PoolClient) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await inTransaction(pool, work);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (tried >= attempts || typeof code !== 'string' || !lostCodes.has(code)) throw error;
    }
  }
}
