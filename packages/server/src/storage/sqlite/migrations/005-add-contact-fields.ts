import type { Migration } from './types.js';

/** A text trait, trimmed, or NULL when it is missing, empty or not a string (numbers are not names). */
function textTrait(key: string): string {
  return `CASE json_type(profiles.traits, '$.${key}') WHEN 'text' THEN nullif(trim(json_extract(profiles.traits, '$.${key}')), '') END`;
}

// The same fall-backs as contact-view.ts: the email trait, else the earliest email identifier;
// the name trait, else firstName + lastName.
const contactEmail = `lower(coalesce(${textTrait('email')},
  (SELECT value FROM identifiers INDEXED BY identifiers_profile
   WHERE identifiers.profile_id = profiles.id AND identifiers.type = 'email'
   ORDER BY first_seen_at, value LIMIT 1), ''))`;
const contactName = `coalesce(${textTrait('name')},
  nullif(trim(coalesce(${textTrait('firstName')}, '') || ' ' || coalesce(${textTrait('lastName')}, '')), ''), '')`;
const refreshKeys = (where: string) =>
  `UPDATE profiles SET contact_email = ${contactEmail}, contact_name = ${contactName} WHERE ${where};`;

export const addContactFields: Migration = {
  version: 5,
  name: 'add contact fields',
  up(db) {
    db.exec(`
      -- CRM fields set by people, never by events.
      ALTER TABLE profiles ADD COLUMN lifecycle_stage TEXT CHECK (lifecycle_stage IN ('subscriber', 'lead',
        'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'));
      ALTER TABLE profiles ADD COLUMN owner TEXT;
      ALTER TABLE profiles ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

      -- The displayed email (lower-cased) and name, as columns so that listing can sort and search
      -- them through an index. Triggers keep them current, so the identity code need not know them.
      -- '' rather than NULL: keyset pagination compares (key, id) row values, and NULL never compares.
      ALTER TABLE profiles ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
      ALTER TABLE profiles ADD COLUMN contact_name  TEXT NOT NULL DEFAULT '';
      ${refreshKeys('1')}

      CREATE TRIGGER profiles_contact_keys_on_traits AFTER UPDATE OF traits ON profiles
        WHEN OLD.traits IS NOT NEW.traits
      BEGIN ${refreshKeys('profiles.id = NEW.id')} END;
      CREATE TRIGGER profiles_contact_keys_on_new_email AFTER INSERT ON identifiers WHEN NEW.type = 'email'
      BEGIN ${refreshKeys('profiles.id = NEW.profile_id')} END;
      CREATE TRIGGER profiles_contact_keys_on_moved_email AFTER UPDATE OF profile_id ON identifiers
        WHEN NEW.type = 'email'
      BEGIN ${refreshKeys('profiles.id IN (OLD.profile_id, NEW.profile_id)')} END;

      -- Keyset pagination over live contacts, one index per sort; each serves both directions.
      CREATE INDEX profiles_live_last_seen  ON profiles (last_seen_at, id)  WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_first_seen ON profiles (first_seen_at, id) WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_created    ON profiles (created_at, id)    WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_email      ON profiles (contact_email, id) WHERE merged_into IS NULL;
    `);
  },
};
