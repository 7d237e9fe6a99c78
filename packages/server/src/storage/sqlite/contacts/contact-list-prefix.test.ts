import { describe, expect, it } from 'vitest';
import type { ContactSort } from '../../../contacts/contact-schemas.js';
import { contactSorts } from '../../../contacts/contact-schemas.js';
import type { Cursor } from '../../../contacts/cursor.js';
import { openDatabase } from '../open-database.js';
import { createContactQueries, prefixRange } from './contact-queries.js';
import { sortSql } from './sort-sql.js';

/**
 * GET /v1/contacts?q= reads up to 10,000 prefix matches from the email and name indexes and cuts the
 * page from them; past that it walks the sort's index with LIKE. Both must list what LIKE would.
 */

describe('prefixRange', () => {
  it('is [q, q with its last character one higher), ASCII letters lower-cased', () => {
    expect(prefixRange('Ada')).toEqual({ lo: 'ada', hi: 'adb' });
    expect(prefixRange('a%_')).toEqual({ lo: 'a%_', hi: 'a%`' });
    expect(prefixRange('ÉM')).toEqual({ lo: 'Ém', hi: 'Én' });
    expect(prefixRange('x\u{1F600}')).toEqual({ lo: 'x\u{1F600}', hi: 'x\u{1F601}' });
    // U+D800–U+DFFF are not characters: past U+D7FF comes U+E000.
    expect(prefixRange('a\uD7FF')).toEqual({ lo: 'a\uD7FF', hi: 'a\uE000' });
  });

  it('is none where no string follows: a lone surrogate, or U+10FFFF', () => {
    expect(prefixRange('a\uD800')).toBeUndefined();
    expect(prefixRange('\uDC00')).toBeUndefined();
    expect(prefixRange('a\u{10FFFF}')).toBeUndefined();
  });
});

const names = ['Ada Lovelace', 'ada king', 'ADAM Smith', 'Émile Zola', 'émilie du Châtelet', 'Zoë', 'a%b', 'a_c'];
const emails = ['ada@example.com', 'Ada.K@Example.com', 'adam@x.io', 'emile@zola.fr', 'a%b@x.io', 'a_c@x.io', ''];

function seededDatabase() {
  const db = openDatabase(':memory:');
  const insert = db.prepare(
    `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, event_count, created_at, updated_at) VALUES ('ct_' || lower(hex(randomblob(12))), ?, ?, 1, ?, ?)`,
  );
  // Traits set by an update, as identity does: migration 005's trigger fills contact_email and contact_name.
  const setTraits = db.prepare('UPDATE profiles SET traits = ? WHERE id = ?');
  db.transaction(() => {
    for (let n = 0; n < 120; n += 1) {
      const seen = ((n * 37) % 120) * 1_000 - (n % 4 === 0 ? 1_000 : 0);
      const id = Number(insert.run(seen - 500, seen, n, n).lastInsertRowid);
      const traits: Record<string, string> = {};
      if (n % 5 !== 4) traits.name = `${names[n % names.length]} ${n}`;
      const email = emails[n % emails.length] as string;
      if (email !== '') traits.email = email.replace('@', `${n}@`);
      setTraits.run(JSON.stringify(traits), id);
    }
  })();
  return db;
}

/** Every page, following the last row's key as the cursor, as the route does. */
function listAll(
  list: ReturnType<typeof createContactQueries>['listContacts'],
  sort: ContactSort,
  q: string,
  limit: number,
) {
  const { column } = sortSql(sort);
  const ids: number[] = [];
  let after: Cursor | undefined;
  for (let page = 0; page < 200; page += 1) {
    const rows = list(sort, after, q, limit + 1);
    ids.push(...rows.slice(0, limit).map((row) => row.id));
    const last = rows[limit - 1];
    if (rows.length <= limit || !last) break;
    after = { sort, key: last[column] as string | number, id: last.id };
  }
  return ids;
}

describe('GET /v1/contacts?q= lists what LIKE would, from the indexes or by the walk', () => {
  const db = seededDatabase();
  const fromIndexes = createContactQueries(db);
  const byWalk = createContactQueries(db, 0);
  const like = db.prepare(
    `SELECT id FROM profiles WHERE merged_into IS NULL
       AND (contact_email LIKE @p ESCAPE '\\' OR contact_name LIKE @p ESCAPE '\\') ORDER BY id`,
  );
  const expected = (q: string) =>
    (like.all({ p: `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }) as { id: number }[]).map((row) => row.id);
  const queries = [
    'ada',
    'ADA',
    'Ada.',
    'adam',
    'é',
    'É',
    'émi',
    'zo',
    'a%',
    'a_',
    'a',
    'nobody',
    'zoë 1',
    'zoë 5',
    'a_c5@x.io',
  ];

  for (const q of queries) {
    it(`q=${q}`, () => {
      const want = expected(q);
      for (const sort of contactSorts as readonly ContactSort[]) {
        for (const limit of [1, 4, 50]) {
          const indexed = listAll(fromIndexes.listContacts, sort, q, limit);
          const walked = listAll(byWalk.listContacts, sort, q, limit);
          expect({ sort, limit, ids: indexed }).toEqual({ sort, limit, ids: walked });
          expect([...indexed].sort((a, b) => a - b)).toEqual(want);
        }
      }
    });
  }

  it('finds some of every kind: the cases above are not all empty', () => {
    expect(expected('ada').length).toBeGreaterThan(10);
    expect(expected('é').length).toBeGreaterThan(5);
    expect(expected('É').length).toBeGreaterThan(5);
    expect(expected('a%').length).toBeGreaterThan(5);
    expect(expected('nobody')).toEqual([]);
  });
});
