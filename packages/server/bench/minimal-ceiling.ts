/**
 * The minimal-schema ceiling: the same events written straight into a table keyed by messageId
 * alone (the event's JSON beside it), with the server's pragmas, `rowsPerTransaction` rows per
 * transaction. No identity, no index but the key, no trigger: what SQLite itself costs, so every
 * workload can say what share of it the server reaches.
 */
import Database from 'better-sqlite3';
import { applyPragmas } from '../src/storage/sqlite/open-database.js';

export interface CeilingRun {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU time (user + system) of the inserts and commits. */
  readonly cpuMs: number;
}

export function runMinimalCeiling(dbPath: string, bodies: readonly string[], rowsPerTransaction: number): CeilingRun {
  const rows: [string, string][] = [];
  for (const text of bodies) {
    for (const event of (JSON.parse(text) as { batch: { messageId: string }[] }).batch) {
      rows.push([event.messageId, JSON.stringify(event)]);
    }
  }
  const db = new Database(dbPath);
  applyPragmas(db);
  db.exec('CREATE TABLE events (message_id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO events (message_id, body) VALUES (?, ?)');
  const insertAll = db.transaction((slice: [string, string][]) => {
    for (const [messageId, body] of slice) insert.run(messageId, body);
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < rows.length; i += rowsPerTransaction) insertAll(rows.slice(i, i + rowsPerTransaction));
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return {
    events: rows.length,
    seconds,
    eventsPerSecond: rows.length / seconds,
    cpuMs: (used.user + used.system) / 1000,
  };
}
