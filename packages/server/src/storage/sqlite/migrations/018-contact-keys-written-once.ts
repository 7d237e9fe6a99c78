import { contactEmailSql, contactNameSql } from '../contact-keys.js';
import type { Migration } from './types.js';

const email = contactEmailSql('profiles.traits', 'profiles.id');
const name = contactNameSql('profiles.traits');
/** Rewrites the keys only where they differ: an UPDATE that sets equal values still rewrites the row and its indexes. */
const refreshKeys = (where: string) =>
  `UPDATE profiles SET contact_email = ${email}, contact_name = ${name}
   WHERE (${where}) AND (contact_email IS NOT ${email} OR contact_name IS NOT ${name});`;

/**
 * Migration 005's triggers, rebuilt to write contact_email and contact_name only when they change.
 * They fired on every traits change and on every new email identifier, and each time rewrote the
 * profile row, its list indexes and (through 014's trigger) its trigram entries: a new person
 * identified with an email and a name paid that twice. The identity store now writes the keys in
 * its own UPDATE (contact-keys.ts), so the trigger finds them current and writes nothing; admin
 * writes and merges still rely on it.
 */
export const writeContactKeysOnce: Migration = {
  version: 18,
  name: 'contact keys written once',
  up(db) {
    db.exec(`
      DROP TRIGGER profiles_contact_keys_on_traits;
      DROP TRIGGER profiles_contact_keys_on_new_email;
      DROP TRIGGER profiles_contact_keys_on_moved_email;
      CREATE TRIGGER profiles_contact_keys_on_traits AFTER UPDATE OF traits ON profiles
        WHEN OLD.traits IS NOT NEW.traits
      BEGIN ${refreshKeys('profiles.id = NEW.id')} END;
      CREATE TRIGGER profiles_contact_keys_on_new_email AFTER INSERT ON identifiers WHEN NEW.type = 'email'
      BEGIN ${refreshKeys('profiles.id = NEW.profile_id')} END;
      CREATE TRIGGER profiles_contact_keys_on_moved_email AFTER UPDATE OF profile_id ON identifiers
        WHEN NEW.type = 'email'
      BEGIN ${refreshKeys('profiles.id IN (OLD.profile_id, NEW.profile_id)')} END;
    `);
  },
};
