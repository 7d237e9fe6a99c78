import type { Database } from 'better-sqlite3';

/**
 * Where the trait index (migrations 010 and 012) and the profiles disagree: each row one of them
 * holds and the other lacks, as [name, value, profile_id, last_seen_day]. Empty when the triggers
 * kept it exact. For tests; it reads every profile.
 */
export function traitIndexDrift(db: Database): { missing: unknown[]; extra: unknown[] } {
  const fromProfiles = `SELECT DISTINCT trait.key, trait.value, profiles.id, profiles.last_seen_at / 86400000
    FROM profiles, json_each(profiles.traits) AS trait
    WHERE profiles.merged_into IS NULL
      AND (trait.type IN ('integer', 'real') OR (trait.type = 'text' AND length(trait.value) <= 500))`;
  const inIndex = 'SELECT name, value, profile_id, last_seen_day FROM profile_trait_values';
  return {
    missing: db.prepare(`${fromProfiles} EXCEPT ${inIndex}`).raw().all(),
    extra: db.prepare(`${inIndex} EXCEPT ${fromProfiles}`).raw().all(),
  };
}

/**
 * Where the trigram index of contact emails and names (migration 014) and the profiles disagree:
 * live profiles whose email or name it does not find them by (`missing`), and rows it indexes that
 * are not live profiles (`extra`). Empty when the triggers kept it exact. For tests; it runs one
 * full-text query per profile.
 */
export function contactTextDrift(db: Database): { missing: unknown[]; extra: unknown[] } {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.contact_text_rows USING fts5vocab(main, contact_text, 'instance')");
  const finds = db.prepare('SELECT 1 FROM contact_text WHERE contact_text MATCH ? AND rowid = ?').pluck();
  const phrase = (column: string, text: string) => `${column} : "${text.replaceAll('"', '""')}"`;
  const live = db.prepare('SELECT id, contact_email, contact_name FROM profiles WHERE merged_into IS NULL').all() as {
    id: number;
    contact_email: string;
    contact_name: string;
  }[];
  const missing = live.flatMap((row) =>
    (['contact_email', 'contact_name'] as const)
      .filter((column) => [...row[column]].length >= 3 && !finds.get(phrase(column, row[column]), row.id))
      .map((column) => [row.id, column, row[column]]),
  );
  const extra = db
    .prepare(
      `SELECT DISTINCT doc FROM temp.contact_text_rows
       WHERE doc NOT IN (SELECT id FROM profiles WHERE merged_into IS NULL)`,
    )
    .pluck()
    .all();
  return { missing, extra };
}

/**
 * Where the member counts (migration 028) and the members disagree, as [audience_id, n] rows one
 * side holds and the other lacks (a count of 0 is no audience's). Empty when the triggers kept
 * them exact. For tests.
 */
export function audienceCountDrift(db: Database): { missing: unknown[]; extra: unknown[] } {
  const fromMembers = 'SELECT audience_id, count(*) FROM audience_members GROUP BY audience_id';
  const counted = 'SELECT audience_id, n FROM audience_member_counts WHERE n <> 0';
  return {
    missing: db.prepare(`${fromMembers} EXCEPT ${counted}`).raw().all(),
    extra: db.prepare(`${counted} EXCEPT ${fromMembers}`).raw().all(),
  };
}
