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

function identify(messageId: string, userId: string, email: string): NewEvent {
  const body = {
    type: 'identify',
    messageId,
    userId,
    traits: { email, secret: `${email}-note` },
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
      identify('m1', 'u-erase-me-7f3a9c', marker),
      identify('m2', 'u-keep', 'keep-4d1e@example.com'),
    ]);
    const fileText = () =>
      readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(fileText().includes(marker)).toBe(true);

    const profileId = db
      .prepare("SELECT profile_id FROM identifiers WHERE value = 'u-erase-me-7f3a9c'")
      .pluck()
      .get() as number;
    const eraser = createContactEraser(db, loadIdentifierHasher(db), () => Date.parse('2026-03-02T00:00:00.000Z'));
    expect(eraser.erase(profileId, { suppress: false })).toMatchObject({ events: 1, identifiers: 2, profiles: 1 });

    expect(fileText().includes('erase-me-7f3a9c'), 'erased bytes left in the file').toBe(false);
    expect(fileText().includes('keep-4d1e@example.com')).toBe(true);
    // The setting is put back: ordinary deletes stay cheap.
    expect(db.pragma('secure_delete', { simple: true })).toBe(0);
    store.close();
  });
});
