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
