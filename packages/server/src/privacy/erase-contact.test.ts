import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createIdentityStep } from '../identity/identity-step.js';
import { createIdentityCounters } from '../identity/resolve-identity.js';
import type { NewEvent } from '../storage/event-store.js';
import { openDatabase } from '../storage/open-database.js';
import { createSqliteEventStore } from '../storage/sqlite-event-store.js';
import { createContactEraser } from './erase-contact.js';
import { loadIdentifierHasher } from './identifier-hash.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function identify(messageId: string, userId: string, email: string, name: string): NewEvent {
  const body = {
    type: 'identify',
    messageId,
    userId,
    traits: { email, secret: `${email}-note`, name },
    timestamp: '2026-03-01T00:00:00.000Z',
  };
  return {
    source: 'test',
    type: 'identify',
    messageId,
    userId,
    anonymousId: null,
    event: null,
    timestamp: Date.parse(body.timestamp),
    receivedAt: Date.parse(body.timestamp),
    body: JSON.stringify(body),
  };
}

describe('createContactEraser', () => {
  it('leaves none of the erased bytes in the database file or its write-ahead log', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-erase-'));
    const path = join(dir, 'weft.db');
    const db = openDatabase(path);
    const identity = createIdentityStep({ db, rules: DEFAULT_IDENTITY_RULES, counters: createIdentityCounters() });
    const store = createSqliteEventStore(db, [identity]);
    const marker = 'erase-me-7f3a9c@example.com';
    store.insertEvents([
      // The erased name's trigrams (zor, orq, rqv …: no hex digits, so no hash or id holds them)
      // are terms of migration 014's trigram index.
      identify('m1', 'u-erase-me-7f3a9c', marker, 'Zorqv Wyxul'),
      identify('m2', 'u-keep', 'keep-4d1e@example.com', 'Keep Person'),
    ]);
    const fileText = () =>
      readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(fileText().includes(marker)).toBe(true);
    const trigrams = ['zor', 'orq', 'rqv', 'wyx', 'yxu', 'xul'];
    expect(trigrams.filter((trigram) => fileText().includes(trigram)).length).toBeGreaterThan(0);

    const profileId = db
      .prepare("SELECT profile_id FROM identifiers WHERE value = 'u-erase-me-7f3a9c'")
      .pluck()
      .get() as number;
    const eraser = createContactEraser(db, loadIdentifierHasher(db), () => Date.parse('2026-03-02T00:00:00.000Z'));
    expect(eraser.erase(profileId, { suppress: false })).toMatchObject({ events: 1, identifiers: 2, profiles: 1 });

    expect(fileText().includes('erase-me-7f3a9c'), 'erased bytes left in the file').toBe(false);
    expect(
      trigrams.filter((trigram) => fileText().includes(trigram)),
      'erased trigrams left',
    ).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM contact_text WHERE contact_text MATCH '"person"'`).pluck().get()).toBe(1);
    expect(fileText().includes('keep-4d1e@example.com')).toBe(true);
    // The setting is put back: ordinary deletes stay cheap.
    expect(db.pragma('secure_delete', { simple: true })).toBe(0);
    store.close();
  });
});
