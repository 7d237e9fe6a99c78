import type { Migration } from './types.js';

/**
 * A trigram index of each live contact's email and name, so that `email`/`name` `contains` and
 * `startsWith` in POST /v1/contacts/search read the contacts holding every trigram of the value
 * instead of every contact (a LIKE '%…%' cannot use a b-tree). It only narrows: the search still
 * applies its LIKE to each contact found (contacts/search-filters.ts), so case folding beyond
 * ASCII or a value of fewer than three characters cannot change an answer.
 *
 * Its content table is `profiles` (external content): it stores no text of its own, only the index,
 * and a row goes by the profile id. FTS5's secure-delete removes a deleted row's entries from the
 * index rather than marking them, which it can do because each delete names the old text; so an
 * erasure (privacy/erase-contact.ts, with SQLite's secure_delete on) leaves none of the erased
 * email's or name's trigrams in the file. (A contentless table cannot: it only marks the row.)
 * No column sizes: they serve ranking, and a search only filters.
 */
const insertRow = `INSERT INTO contact_text (rowid, contact_email, contact_name)
  VALUES (NEW.id, NEW.contact_email, NEW.contact_name);`;
const deleteRow = `INSERT INTO contact_text (contact_text, rowid, contact_email, contact_name)
  VALUES ('delete', OLD.id, OLD.contact_email, OLD.contact_name);`;

export const indexContactText: Migration = {
  version: 14,
  name: 'index contact text',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE contact_text USING fts5(
        contact_email, contact_name, content = 'profiles', content_rowid = 'id', tokenize = 'trigram',
        columnsize = 0
      );
      INSERT INTO contact_text (contact_text, rank) VALUES ('secure-delete', 1);
      INSERT INTO contact_text (rowid, contact_email, contact_name)
        SELECT id, contact_email, contact_name FROM profiles WHERE merged_into IS NULL;

      CREATE TRIGGER contact_text_on_insert AFTER INSERT ON profiles WHEN NEW.merged_into IS NULL
      BEGIN ${insertRow} END;
      CREATE TRIGGER contact_text_on_change AFTER UPDATE OF contact_email, contact_name ON profiles
        WHEN OLD.merged_into IS NULL AND NEW.merged_into IS NULL
          AND (OLD.contact_email IS NOT NEW.contact_email OR OLD.contact_name IS NOT NEW.contact_name)
      BEGIN ${deleteRow} ${insertRow} END;
      CREATE TRIGGER contact_text_on_merge AFTER UPDATE OF merged_into ON profiles
        WHEN OLD.merged_into IS NULL AND NEW.merged_into IS NOT NULL
      BEGIN ${deleteRow} END;
      CREATE TRIGGER contact_text_on_unmerge AFTER UPDATE OF merged_into ON profiles
        WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NULL
      BEGIN ${insertRow} END;
      CREATE TRIGGER contact_text_on_delete AFTER DELETE ON profiles WHEN OLD.merged_into IS NULL
      BEGIN ${deleteRow} END;
    `);
  },
};
