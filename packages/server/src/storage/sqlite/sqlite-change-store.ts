import type { ChangeSink, ChangeType, StoredChange } from '../../changes/change.js';
import type { ChangeStore } from '../../changes/change-store.js';
import { firstYoungSeq } from '../../changes/first-young-seq.js';
import type { SqliteDatabase } from './open-database.js';
import type { Synchronous } from './synchronous.js';

/** The change sink of every SQLite write, and what tells the feed's readers a commit holds news. */
export interface SqliteChanges {
  readonly sink: ChangeSink;
  readonly store: Synchronous<ChangeStore>;
  /** Called after a write's transaction commits: wakes the readers if it recorded a change. */
  committed(): void;
}

const contactTypesOnly = "type != 'event.stored'";
const columns = 'seq, type, contact_id AS contactId, at, data';

/**
 * The changes table of migration 016. `record` is called inside the transaction of the write that
 * makes the change; readers are woken after that transaction commits (`committed`), never before, so
 * that what they read is there. With `isEnabled` false nothing is recorded (a benchmark measures the
 * feed's cost that way).
 */
export function createSqliteChanges(db: SqliteDatabase, now: () => number, isEnabled = true): SqliteChanges {
  const insert = db.prepare<[string, number | null, string | null, number, string]>(
    'INSERT INTO changes (type, profile_id, contact_id, at, data) VALUES (?, ?, ?, ?, ?)',
  );
  const readAll = db.prepare<[number, number], StoredChange>(
    `SELECT ${columns} FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`,
  );
  // Types other than event.stored are read through the partial index of migration 016's kind: the
  // event rows, most of the table, are skipped rather than read and dropped.
  const readTypes = (withEvents: boolean) =>
    db.prepare<[number, string, number], StoredChange>(
      `SELECT ${columns} FROM changes
       WHERE seq > ? ${withEvents ? '' : `AND ${contactTypesOnly}`} AND type IN (SELECT value FROM json_each(?))
       ORDER BY seq LIMIT ?`,
    );
  const readSomeTypes = readTypes(true);
  const readContactTypes = readTypes(false);
  const selectHead = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)").pluck();
  const selectHorizons = db.prepare<[], { name: string; value: number }>('SELECT name, value FROM change_horizons');
  const pruneOf = (events: boolean) =>
    db.prepare<{ after: number; before: number; young: number; limit: number }, number>(
      `DELETE FROM changes WHERE seq IN (
         SELECT seq FROM changes WHERE seq > @after AND seq < @young AND at < @before
           AND ${events ? "type = 'event.stored'" : contactTypesOnly}
         ORDER BY seq LIMIT @limit)
       RETURNING seq`,
    );
  const firstFrom = db.prepare<[number], { seq: number; at: number }>(
    'SELECT seq, at FROM changes WHERE seq >= ? ORDER BY seq LIMIT 1',
  );
  const pruneEvents = pruneOf(true);
  const pruneContacts = pruneOf(false);
  const raiseHorizon = db.prepare<[number, string]>('UPDATE change_horizons SET value = max(value, ?) WHERE name = ?');
  const upsertConsumer = db.prepare<[string, number, number, number]>(
    `INSERT INTO change_consumers (name, position, is_enabled, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, is_enabled = excluded.is_enabled,
       updated_at = excluded.updated_at`,
  );
  const lowestHeld = db
    .prepare<[number], number | null>(
      'SELECT min(position) FROM change_consumers WHERE is_enabled = 1 AND updated_at >= ?',
    )
    .pluck();

  const listeners = new Set<() => void>();
  let isDirty = false;

  const prune = db.transaction((request: Parameters<Synchronous<ChangeStore>['prune']>[0]) => {
    const horizons = Object.fromEntries(selectHorizons.all().map((row) => [row.name, row.value]));
    const held = Number.isFinite(request.heldAt) ? request.heldAt : Number.MAX_SAFE_INTEGER;
    let removed = 0;
    for (const [name, statement, before] of [
      ['events', pruneEvents, request.eventsBefore],
      ['contacts', pruneContacts, request.contactsBefore],
    ] as const) {
      const limit = request.maxRows - removed;
      if (limit <= 0) break;
      const after = horizons[name] ?? 0;
      // The scan stops at the first change young enough to keep: without that bound a pass with
      // nothing to prune read every younger row (seconds on a feed of millions).
      const last = Math.min(held, selectHead.get() as number);
      const young = firstYoungSeq((seq) => firstFrom.get(seq), { after, last, before });
      const seqs = statement.pluck().all({ after, young, before, limit }) as number[];
      if (seqs.length > 0) raiseHorizon.run(Math.max(...seqs), name);
      removed += seqs.length;
    }
    return removed;
  });

  return {
    sink: {
      record(change) {
        if (!isEnabled) return;
        insert.run(change.type, change.profileId, change.contactId, now(), JSON.stringify(change.data));
        isDirty = true;
      },
    },
    store: {
      read({ after, limit, types }) {
        if (!types) return readAll.all(after, limit);
        const statement = types.includes('event.stored') ? readSomeTypes : readContactTypes;
        return statement.all(after, JSON.stringify(types satisfies readonly ChangeType[]), limit);
      },
      head: () => selectHead.get() as number,
      horizons() {
        const rows = Object.fromEntries(selectHorizons.all().map((row) => [row.name, row.value]));
        return { events: rows.events ?? 0, contacts: rows.contacts ?? 0 };
      },
      prune: (request) => prune(request),
      saveConsumer({ name, position, isEnabled: enabled }) {
        upsertConsumer.run(name, position, enabled ? 1 : 0, now());
      },
      heldAt(at, maxAgeMs) {
        return lowestHeld.get(at - maxAgeMs) ?? Number.POSITIVE_INFINITY;
      },
      onCommit(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      // Listeners are called in this process, after its own commits: there is nothing to wait for.
      listening() {},
    },
    committed() {
      if (!isDirty) return;
      isDirty = false;
      for (const listener of listeners) listener();
    },
  };
}
