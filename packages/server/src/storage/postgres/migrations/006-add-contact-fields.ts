import type { PostgresMigration } from './types.js';

/**
 * The contact fields people set, the displayed email and name that list and search them, and the
 * edits a person made (SQLite's migrations 005, 007, 011 and 018). Text that is sorted or
 * compared by range is COLLATE "C": code-point order, as SQLite's BINARY order of UTF-8 is, so that
 * both engines page contacts in the same order whatever the cluster's locale.
 *
 * The keys follow the rule of storage/sqlite/contact-keys.ts, here as SQL functions: the email trait
 * (trimmed, not empty, a string), else the profile's earliest email identifier, lower-cased in ASCII
 * only (SQLite's lower()); the name trait, else firstName and lastName; '' when none. A trigger sets
 * them whenever a profile's traits are written, and another when an email identifier joins or leaves
 * a profile.
 */
export const addContactFields: PostgresMigration = {
  version: 6,
  name: 'add contact fields',
  async up(client) {
    await client.query(`
      ALTER TABLE profiles ADD COLUMN lifecycle_stage TEXT CHECK (lifecycle_stage IN ('subscriber', 'lead',
        'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'));
      ALTER TABLE profiles ADD COLUMN owner TEXT;
      ALTER TABLE profiles ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE profiles ADD COLUMN contact_email TEXT COLLATE "C" NOT NULL DEFAULT '';
      ALTER TABLE profiles ADD COLUMN contact_name TEXT COLLATE "C" NOT NULL DEFAULT '';

      CREATE FUNCTION weft_lower_ascii(text TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN translate(text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
      CREATE FUNCTION weft_text_trait(traits JSONB, key TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE WHEN jsonb_typeof(traits -> key) = 'string' THEN nullif(btrim(traits ->> key, ' '), '') END;
      CREATE FUNCTION weft_contact_name(traits JSONB) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN coalesce(weft_text_trait(traits, 'name'),
          nullif(btrim(coalesce(weft_text_trait(traits, 'firstName'), '') || ' ' ||
            coalesce(weft_text_trait(traits, 'lastName'), ''), ' '), ''), '');
      CREATE FUNCTION weft_contact_email(traits JSONB, profile BIGINT) RETURNS TEXT LANGUAGE sql STABLE
        RETURN weft_lower_ascii(coalesce(weft_text_trait(traits, 'email'),
          (SELECT value FROM identifiers WHERE profile_id = profile AND type = 'email'
           ORDER BY first_seen_at, value COLLATE "C" LIMIT 1), ''));

      -- The traits are parsed once per row, and only when they were written with another value:
      -- most events leave them as they were.
      CREATE FUNCTION weft_profiles_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        traits JSONB := NEW.traits::jsonb;
      BEGIN
        NEW.contact_email := weft_contact_email(traits, NEW.id);
        NEW.contact_name := weft_contact_name(traits);
        RETURN NEW;
      END $$;
      CREATE TRIGGER profiles_contact_keys_on_insert BEFORE INSERT ON profiles
        FOR EACH ROW EXECUTE FUNCTION weft_profiles_contact_keys();
      CREATE TRIGGER profiles_contact_keys_on_traits BEFORE UPDATE OF traits ON profiles
        FOR EACH ROW WHEN (OLD.traits IS DISTINCT FROM NEW.traits) EXECUTE FUNCTION weft_profiles_contact_keys();

      CREATE FUNCTION weft_identifiers_contact_email() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE profiles SET contact_email = weft_contact_email(traits::jsonb, id)
        WHERE (id = NEW.profile_id OR (TG_OP = 'UPDATE' AND id = OLD.profile_id))
          AND contact_email IS DISTINCT FROM weft_contact_email(traits::jsonb, id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER identifiers_contact_email AFTER INSERT OR UPDATE OF profile_id ON identifiers
        FOR EACH ROW WHEN (NEW.type = 'email') EXECUTE FUNCTION weft_identifiers_contact_email();

      CREATE INDEX profiles_live_last_seen  ON profiles (last_seen_at, id)  WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_first_seen ON profiles (first_seen_at, id) WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_created    ON profiles (created_at, id)    WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_email      ON profiles (contact_email, id) WHERE merged_into IS NULL;
      CREATE INDEX profiles_live_name       ON profiles (weft_lower_ascii(contact_name), id) WHERE merged_into IS NULL;

      -- One row per edit a person makes to a contact; its id numbers the messageId ('manual:<id>')
      -- that stamps the traits it set.
      -- Notes people write about a contact, on the profile they were written on (never moved on a
      -- merge: the survivor's list reads its own and those of the profiles merged into it).
      CREATE TABLE notes (
        id         BIGSERIAL PRIMARY KEY,
        profile_id BIGINT NOT NULL REFERENCES profiles (id),
        body       TEXT   NOT NULL,
        author     TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT
      );
      CREATE INDEX notes_profile_created ON notes (profile_id, created_at, id);

      CREATE TABLE manual_edits (
        id         BIGSERIAL PRIMARY KEY,
        profile_id BIGINT NOT NULL REFERENCES profiles (id),
        edited_at  BIGINT NOT NULL,
        changes    TEXT   NOT NULL
      );
    `);
  },
};
