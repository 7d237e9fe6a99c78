import type { SqliteDatabase } from '../open-database.js';

export interface FilePurge {
  /**
   * Rewrites the database file from its live rows alone (VACUUM), then copies the write-ahead log
   * into it and truncates the log to nothing. True once both are done; false when readers kept the
   * log busy past the wait, in which case it goes on trying in the background until it succeeds.
   */
  purge(): Promise<boolean>;
}

export interface PurgeOptions {
  /** How long purge() tries to empty the log before it answers false. */
  readonly waitMs: number;
  readonly retryEveryMs: number;
}

const defaults: PurgeOptions = { waitMs: 5_000, retryEveryMs: 100 };

interface CheckpointResult {
  readonly busy: number;
}

/**
 * Why a rewrite, and not secure_delete alone: secure_delete zeroes a cell when it is deleted, but
 * when SQLite rebalances a b-tree page (rebuildPage in its btree.c) it leaves the bytes of cells that
 * moved away in the page's unused area. Any row, any index key, can so keep a copy made long before
 * its person is erased. Only writing the file anew from the live rows drops them all.
 *
 * The checkpoint answers busy while another connection reads from the log (a backup, a `sqlite3`
 * shell). It is tried without SQLite's busy handler, which would block this process's event loop
 * for busy_timeout, and retried between turns of the loop instead.
 */
export function createFilePurge(db: SqliteDatabase, options: Partial<PurgeOptions> = {}): FilePurge {
  const { waitMs, retryEveryMs } = { ...defaults, ...options };
  let isRetrying = false;

  function tryCheckpoint(): boolean {
    if (db.memory) return true;
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[];
      return result?.busy === 0;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  async function checkpointBy(deadline: number): Promise<boolean> {
    for (;;) {
      if (!db.open) return false;
      if (tryCheckpoint()) return true;
      if (Date.now() >= deadline) return false;
      // Unref'd: a retry left running must not keep a stopping server alive.
      await new Promise((resolve) => setTimeout(resolve, retryEveryMs).unref());
    }
  }

  return {
    async purge() {
      // The trigram index keeps a deleted row's trigrams as delete markers until its segments merge
      // (migration 017): merged into one segment now, they are gone before the file is rewritten.
      db.exec(`INSERT INTO contact_text (contact_text) VALUES ('optimize')`);
      db.exec('VACUUM');
      if (await checkpointBy(Date.now() + waitMs)) return true;
      if (!isRetrying) {
        isRetrying = true;
        void checkpointBy(Number.POSITIVE_INFINITY).then(() => {
          isRetrying = false;
        });
      }
      return false;
    },
  };
}
