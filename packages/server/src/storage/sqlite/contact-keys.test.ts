import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayedEmail, displayedName, type EmailIdentifier, earlierEmail } from '../contact-keys.js';
import { contactEmailSql, contactNameSql } from './contact-keys.js';

// The TypeScript copy of the displayed email and name (contacts/contact-keys.ts) against the SQL
// that SQLite's triggers run: the same answer for any traits and email identifiers.
const text = fc.oneof(
  fc.constantFrom('', ' ', '  Ada ', 'ADA@Example.COM', 'Émile@X.fr', 'ß', 'a\u00a0', '\t b', '𝒜lice', 'zoë'),
  fc.string({ maxLength: 6 }),
);
const traitValue = fc.oneof(text, fc.constant(null), fc.integer(), fc.boolean(), fc.constant(['x']));
const traits = fc.record(
  { email: traitValue, name: traitValue, firstName: traitValue, lastName: traitValue },
  { requiredKeys: [] },
);
const identifiers = fc.array(
  fc.record({
    value: fc.constantFrom('b@x.io', 'a@x.io', 'A@x.io', '𝒜@x.io', '\uffff@x.io', 'é@x.io'),
    firstSeenAt: fc.integer({ min: 1, max: 3 }),
  }),
  { maxLength: 4 },
);

describe('displayed email and name', () => {
  it('answer what the SQL of the triggers answers', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE identifiers (type TEXT, value TEXT, profile_id INTEGER, first_seen_at INTEGER);
      CREATE INDEX identifiers_profile ON identifiers (profile_id)`);
    const insert = db.prepare("INSERT INTO identifiers VALUES ('email', ?, 1, ?)");
    const select = db.prepare<[string], { email: string; name: string }>(
      `SELECT ${contactEmailSql('t.traits', '1')} AS email, ${contactNameSql('t.traits')} AS name
       FROM (SELECT ? AS traits) AS t`,
    );
    fc.assert(
      fc.property(traits, identifiers, (values, emails) => {
        db.exec('DELETE FROM identifiers');
        // One profile holds an identifier once.
        const unique = [...new Map(emails.map((entry) => [entry.value, entry])).values()];
        for (const entry of unique) insert.run(entry.value, entry.firstSeenAt);
        const earliest = unique.reduce<EmailIdentifier | null>((found, entry) => earlierEmail(found, entry), null);
        const sql = select.get(JSON.stringify(values));
        expect({ email: displayedEmail(values, earliest), name: displayedName(values) }).toEqual(sql);
      }),
      { numRuns: 500 },
    );
    db.close();
  });
});
