import { openDatabase } from '@weft/server';

/** Rows per messageId in the events table (one per messageId, unless dedupe failed). */
export function readStoredCounts(dbPath: string): Map<string, number> {
  const db = openDatabase(dbPath);
  try {
    const rows = db.prepare('SELECT message_id AS id, count(*) AS n FROM events GROUP BY message_id').all() as {
      id: string;
      n: number;
    }[];
    return new Map(rows.map((row) => [row.id, row.n]));
  } finally {
    db.close();
  }
}
