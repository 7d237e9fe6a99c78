import type { Migration } from './types.js';

/**
 * The text and number traits a `traits.<name> eq` search can match: top-level keys, and text no
 * longer than a filter value may be (500 characters, contacts/filter-values.ts). Booleans are left
 * out: json_each reads true as 1, which would then equal the number 1.
 */
const isIndexable = "(trait.type IN ('integer', 'real') OR (trait.type = 'text' AND length(trait.value) <= 500))";
const indexable = (traits: string) =>
  `SELECT trait.key, trait.value FROM json_each(${traits}) AS trait WHERE ${isIndexable}`;
const insertValues = (row: 'NEW') => `INSERT OR IGNORE INTO profile_trait_values (name, value, profile_id)
  SELECT trait.key, trait.value, ${row}.id FROM json_each(${row}.traits) AS trait WHERE ${isIndexable};`;
const deleteValues = `DELETE FROM profile_trait_values WHERE profile_id = OLD.id AND (name, value) IN (${indexable('OLD.traits')});`;

export const indexTraitValues: Migration = {
  version: 10,
  name: 'index trait values',
  up(db) {
    db.exec(`
      -- One row per indexable trait of each live profile, so that POST /v1/contacts/search with
      -- traits.<name> eq <value> reads an index instead of parsing the traits of every profile.
      -- value has no declared type, hence no affinity: the text '5' stays text, apart from 5.
      CREATE TABLE profile_trait_values (
        name       TEXT    NOT NULL,
        value              NOT NULL,
        profile_id INTEGER NOT NULL,
        PRIMARY KEY (name, value, profile_id)
      ) WITHOUT ROWID;
      INSERT INTO profile_trait_values (name, value, profile_id)
        SELECT trait.key, trait.value, profiles.id FROM profiles, json_each(profiles.traits) AS trait
        WHERE profiles.merged_into IS NULL AND ${isIndexable};

      -- Triggers keep it current, as 005's do for contact_email, so identity and edits need not
      -- know it. Rows are found through the old traits, so no second index (on profile_id) is needed.
      CREATE TRIGGER profile_trait_values_on_insert AFTER INSERT ON profiles WHEN NEW.merged_into IS NULL
      BEGIN ${insertValues('NEW')} END;
      -- A live profile's traits changed: drop the values it no longer holds (one kept with the
      -- same type stays), then add the new ones.
      CREATE TRIGGER profile_trait_values_on_traits AFTER UPDATE OF traits ON profiles
        WHEN OLD.merged_into IS NULL AND NEW.merged_into IS NULL AND OLD.traits IS NOT NEW.traits
      BEGIN
        DELETE FROM profile_trait_values WHERE profile_id = OLD.id AND (name, value) IN (
          ${indexable('OLD.traits')} AND NOT EXISTS (SELECT 1 FROM json_each(NEW.traits) AS kept
            WHERE kept.key = trait.key AND kept.type = trait.type AND kept.value = trait.value));
        ${insertValues('NEW')}
      END;
      -- Merged away, or deleted (erasure): the profile is no longer a contact a search can find.
      CREATE TRIGGER profile_trait_values_on_merge AFTER UPDATE OF merged_into ON profiles
        WHEN OLD.merged_into IS NULL AND NEW.merged_into IS NOT NULL
      BEGIN ${deleteValues} END;
      CREATE TRIGGER profile_trait_values_on_delete AFTER DELETE ON profiles WHEN OLD.merged_into IS NULL
      BEGIN ${deleteValues} END;
      -- Identity never revives a merged profile; should anything do so, it becomes findable again.
      CREATE TRIGGER profile_trait_values_on_unmerge AFTER UPDATE OF merged_into ON profiles
        WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NULL
      BEGIN ${insertValues('NEW')} END;
    `);
  },
};
