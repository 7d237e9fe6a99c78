import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertRawProfile } from '../../../testing/raw-profile.js';
import { migrate } from '../migrate.js';
import { indexContactText } from '../migrations/014-index-contact-text.js';
import { migrations } from '../migrations/index.js';
import { openDatabase, type SqliteDatabase } from '../open-database.js';
import { compileFilters } from './search-filters.js';
import { matchingIdsSql } from './search-sql.js';

// email and name contains/startsWith (three characters or more) read migration 014's trigram index
// first, then apply the LIKE. These tests hold that to the LIKE alone and to what each contact's
// text says, through edits, merges, revivals and deletes.

let db: SqliteDatabase;
let texts: Map<number, { email: string; name: string }>;
let mergedAway: Set<number>;

/** As identity makes one: the row, then its traits (migration 005's triggers derive email and name). */
function addContact(email: string, name: string): number {
  const id = insertRawProfile(db, { first_seen_at: 1, last_seen_at: 1, created_at: 1, updated_at: 1, traits: '{}' });
  setText(id, email, name);
  return id;
}

function setText(id: number, email: string, name: string): void {
  db.prepare('UPDATE profiles SET traits = ? WHERE id = ?').run(JSON.stringify({ email, name }), id);
  texts.set(id, { email: email.toLowerCase(), name });
}

/** LIKE's own rule: ASCII letters fold, nothing else does. */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

function expected(field: 'email' | 'name', op: 'contains' | 'startsWith', value: string): number[] {
  return [...texts]
    .filter(([id, text]) => {
      if (mergedAway.has(id) || text[field] === '') return false;
      const [have, want] = [foldAscii(text[field]), foldAscii(value)];
      return op === 'contains' ? have.includes(want) : have.startsWith(want);
    })
    .map(([id]) => id);
}

function found(field: 'email' | 'name', op: 'contains' | 'startsWith', value: string) {
  const filters = compileFilters([{ field, op, value }]);
  const run = (conditions: readonly string[]) =>
    (
      db
        .prepare(matchingIdsSql(conditions))
        .pluck()
        .all({ ...filters.params, cap: 10_000 }) as number[]
    ).sort((a, b) => a - b);
  return { indexed: run(filters.conditions), likeAlone: run(filters.probeConditions) };
}

const searches: ['email' | 'name', 'contains' | 'startsWith', string][] = [
  ['email', 'contains', 'ada'],
  ['email', 'contains', 'ADA'],
  ['email', 'contains', '@example'],
  ['email', 'contains', 'da.l'],
  ['email', 'startsWith', 'ada.'],
  ['email', 'contains', 'o_k'],
  ['email', 'contains', '100%'],
  ['email', 'contains', 'x"y'],
  ['email', 'contains', 'zz'],
  ['name', 'contains', 'hop'],
  ['name', 'contains', 'HOP'],
  ['name', 'contains', 'éco'],
  ['name', 'contains', 'ÉCO'],
  ['name', 'startsWith', 'Grace H'],
  ['name', 'contains', 'ace ho'],
  ['name', 'contains', 'email'],
];

function expectAllAgree(): void {
  for (const [field, op, value] of searches) {
    const { indexed, likeAlone } = found(field, op, value);
    const want = expected(field, op, value);
    expect({ field, op, value, ids: indexed }).toEqual({ field, op, value, ids: want });
    expect({ field, op, value, ids: likeAlone }).toEqual({ field, op, value, ids: want });
  }
}

beforeEach(() => {
  db = openDatabase(':memory:');
  texts = new Map();
  mergedAway = new Set();
  addContact('ada.lovelace@example.com', 'Ada Lovelace');
  addContact('grace@navy.mil', 'Grace Hopper');
  addContact('o_k@100%.example', 'École Normale');
  addContact('x"y@example.com', 'HOPKINS');
  addContact('', 'ÉCOLE');
});

describe('email and name contains/startsWith through the trigram index', () => {
  it('finds what the LIKE alone finds: case, quotes, % and _, non-ASCII, short values', () => {
    expectAllAgree();
    expect(found('email', 'contains', 'ADA').indexed).toEqual([1]);
    // LIKE folds ASCII only: the index finds ÉCOLE for éco, and the LIKE then drops it.
    expect(found('name', 'contains', 'éco').indexed).toEqual([]);
    expect(found('name', 'contains', 'hop').indexed).toEqual([2, 4]);
  });

  it('follows edits, merges, revivals and deletes', () => {
    setText(1, 'ada@analytical.engine', 'Augusta Ada King');
    setText(2, 'GRACE.HOPPER@example.com', 'Grace Hopper');
    db.prepare('UPDATE profiles SET merged_into = 2 WHERE id = 4').run();
    mergedAway.add(4);
    db.prepare('DELETE FROM profiles WHERE id = 3').run();
    texts.delete(3);
    expectAllAgree();
    expect(found('email', 'contains', '@example').indexed).toEqual([2]);

    db.prepare('UPDATE profiles SET merged_into = NULL WHERE id = 4').run();
    mergedAway.delete(4);
    expectAllAgree();
    expect(found('name', 'contains', 'hop').indexed).toEqual([2, 4]);
  });

  it('is filled, on migration, from the contacts a database already held', () => {
    db = new Database(':memory:');
    migrate(db, migrations.slice(0, indexContactText.version - 1));
    texts = new Map();
    addContact('ada.lovelace@example.com', 'Ada Lovelace');
    addContact('grace@navy.mil', 'Grace Hopper');
    db.prepare('UPDATE profiles SET merged_into = 1 WHERE id = 2').run();
    mergedAway.add(2);
    migrate(db);
    expectAllAgree();
    expect(found('email', 'contains', 'lovelace').indexed).toEqual([1]);
  });
});
