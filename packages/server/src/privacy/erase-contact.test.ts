import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createJsonLogger } from '../ops/logger.js';
import { type RunningServer, startServer } from '../start-server.js';
import { migrate } from '../storage/sqlite/migrate.js';
import { migrations } from '../storage/sqlite/migrations/index.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createContactEraser } from '../storage/sqlite/privacy/erase-contact.js';
import { loadIdentifierHasher } from '../storage/sqlite/privacy/identifier-hash.js';
import {
  createFetchClient,
  type ErasureHistory,
  erasedTrigram,
  writeErasureHistory,
} from '../testing/erasure-history.js';

const writeKey = 'wk_erase_0123456789abcdefghijklmnopqrstuvwxyz';
const adminToken = 'adm_erase_0123456789abcdefghijklmnopqrstuvwxyz';
const fixture = new URL('./fixtures/release-28664cb', import.meta.url).pathname;

let dir: string | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

interface Running {
  readonly dataDir: string;
  readonly url: string;
  readonly logLines: string[];
}

/** The real server, listening, on a database in a folder of its own, with its log kept. */
async function start(prepare?: (dataDir: string) => void): Promise<Running> {
  dir = mkdtempSync(join(tmpdir(), 'weft-erase-'));
  const dataDir = join(dir, 'data');
  prepare?.(dataDir);
  const logLines: string[] = [];
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: join(dataDir, 'weft.db'),
    WEFT_WRITE_KEY: writeKey,
    WEFT_ADMIN_TOKEN: adminToken,
    WEFT_LOG_LEVEL: 'info',
  });
  server = await startServer(
    config,
    createJsonLogger('info', (line) => logLines.push(line)),
  );
  return { dataDir, url: `http://127.0.0.1:${server.port}`, logLines };
}

/** Every byte the server wrote: each file in its data folder (database, log, shared memory) and its log lines. */
function everythingWritten(running: Running): string {
  const files = readdirSync(running.dataDir).map((name) =>
    readFileSync(join(running.dataDir, name)).toString('latin1'),
  );
  return [...files, ...running.logLines].join('\n');
}

/** The trigrams of the erased text that no kept contact's text holds: the index must hold none. */
function erasedOnlyTrigrams(history: ErasureHistory, keptText: readonly string[]): string[] {
  const trigrams = (text: string) => {
    const lower = text.toLowerCase();
    return Array.from({ length: Math.max(0, lower.length - 2) }, (_, i) => lower.slice(i, i + 3));
  };
  const kept = new Set(keptText.flatMap(trigrams));
  return [...new Set(history.erasedText.flatMap(trigrams))].filter((trigram) => !kept.has(trigram));
}

function indexedTerms(dataDir: string): Set<string> {
  const db = new Database(join(dataDir, 'weft.db'), { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.terms USING fts5vocab('main', 'contact_text', 'row')");
    return new Set(db.prepare('SELECT term FROM temp.terms').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

/** The email and name of every live contact but the one `erasedRef` names. */
function keptText(dataDir: string, erasedRef: string): string[] {
  const db = new Database(join(dataDir, 'weft.db'), { readonly: true });
  try {
    const erased = db
      .prepare("SELECT profile_id FROM identifiers WHERE type = 'user_id' AND value = ?")
      .pluck()
      .get(erasedRef.slice('user_id:'.length));
    const rows = db
      .prepare('SELECT contact_email, contact_name FROM profiles WHERE merged_into IS NULL AND id IS NOT ?')
      .all(erased) as Record<string, string>[];
    return rows.flatMap((row) => [row.contact_email ?? '', row.contact_name ?? '']);
  } finally {
    db.close();
  }
}

async function erase(running: Running, ref: string): Promise<Response> {
  return fetch(`${running.url}/v1/contacts/${ref}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${adminToken}` },
  });
}

/** The erasure's promise, checked on the raw bytes: no value written for the contact is left anywhere. */
async function expectErasedEverywhere(running: Running, history: ErasureHistory): Promise<void> {
  const before = everythingWritten(running);
  const present = history.erasedValues.filter((value) => before.includes(value));
  // Else the scan below could pass for a value that was never written where it looks.
  expect(present.length).toBeGreaterThan(history.erasedValues.length / 2);
  const termsBefore = indexedTerms(running.dataDir);
  const trigrams = erasedOnlyTrigrams(history, keptText(running.dataDir, history.erasedRef));
  // The index holds the current email and name (older ones left it as they were replaced).
  expect(trigrams.filter((trigram) => termsBefore.has(trigram)).length).toBeGreaterThan(10);

  const response = await erase(running, history.erasedRef);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ profiles: 2, suppressed: false });

  const after = everythingWritten(running);
  expect(history.erasedValues.filter((value) => after.includes(value))).toEqual([]);
  // The index's own bytes, not only what it answers: a deleted row's terms left beside a delete
  // marker would still say which trigrams the person's text held.
  const markBytes = Buffer.from(erasedTrigram).toString('latin1');
  if (history.erasedText.some((text) => text.includes(erasedTrigram))) {
    expect(before.includes(markBytes)).toBe(true);
    expect(after.includes(markBytes)).toBe(false);
  }
  const termsAfter = indexedTerms(running.dataDir);
  expect(trigrams.filter((trigram) => termsAfter.has(trigram))).toEqual([]);
  // The control: what was not erased is still there, in the same scan.
  expect(history.keptValues.filter((value) => !after.includes(value))).toEqual([]);
  const kept = await fetch(`${running.url}/v1/contacts/${history.keptRef}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(kept.status).toBe(200);
  const company = await fetch(`${running.url}/v1/companies/kept-company-9`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(await company.json()).toMatchObject({ name: 'Kept Company Ltd', contacts: [] });
}

describe('erasure leaves nothing of a contact with a history', () => {
  it('on a database this release made', async () => {
    const running = await start();
    const client = createFetchClient(running.url, { writeKey, adminToken });
    const history = await writeErasureHistory(client, { editNotes: true });
    await expectErasedEverywhere(running, history);
  }, 60_000);

  it('on a database the previous release (28664cb) made, with its stale bytes', async () => {
    const history = JSON.parse(readFileSync(`${fixture}.json`, 'utf8')) as ErasureHistory;
    const pristine = gunzipSync(readFileSync(`${fixture}.db.gz`));
    const running = await start((dataDir) => {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'weft.db'), pristine);
    });
    await expectErasedEverywhere(running, history);
  }, 60_000);

  it('needs the rewrite: deleting with secure_delete on, as that release did, leaves values in unused space', async () => {
    // The previous release's erasure: secure_delete on, delete, checkpoint. Copies that earlier
    // updates and page splits had left in unused space stay; the rewrite (purge-file.ts) drops them.
    const history = JSON.parse(readFileSync(`${fixture}.json`, 'utf8')) as ErasureHistory;
    dir = mkdtempSync(join(tmpdir(), 'weft-erase-'));
    const path = join(dir, 'weft.db');
    writeFileSync(path, gunzipSync(readFileSync(`${fixture}.db.gz`)));
    const db = new Database(path);
    // This release's schema, without the migration's one rewrite of the file.
    migrate(
      db,
      migrations.map((migration) => ({ ...migration, vacuumAfter: false })),
    );
    const userId = history.erasedRef.slice('user_id:'.length);
    const profileId = db
      .prepare("SELECT profile_id FROM identifiers WHERE type = 'user_id' AND value = ?")
      .pluck()
      .get(userId) as number;
    db.pragma('secure_delete = ON');
    const checkpointOnly = {
      purge: async () => {
        db.pragma('wal_checkpoint(TRUNCATE)');
        return true;
      },
    };
    const changes = { record: () => {} };
    const eraser = createContactEraser(db, {
      hash: loadIdentifierHasher(db),
      now: Date.now,
      changes,
      filePurge: checkpointOnly,
    });
    await eraser.erase(profileId, { suppress: false });
    const raw = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    db.close();
    expect(history.erasedValues.filter((value) => raw.includes(value)).length).toBeGreaterThan(0);
  });
});

describe('an erasure whose write-ahead log another connection holds', () => {
  it('answers 503 erasure_not_final, never 200, and empties the log once the reader lets go', async () => {
    const running = await start();
    const client = createFetchClient(running.url, { writeKey, adminToken });
    const history = await writeErasureHistory(client, { editNotes: false, fillers: 20, renames: 3 });
    // A reader (a backup, a sqlite3 shell) holds a snapshot: the log cannot be truncated under it.
    const reader = openDatabase(join(running.dataDir, 'weft.db'));
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM events').get();
    const response = await erase(running, history.erasedRef);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'erasure_not_final', message: expect.any(String) } });
    reader.exec('COMMIT');
    reader.close();
    // The server keeps trying; within a few of its retries the log is empty and the bytes gone.
    const deadline = Date.now() + 5_000;
    let left = history.erasedValues.filter((value) => everythingWritten(running).includes(value));
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = history.erasedValues.filter((value) => everythingWritten(running).includes(value));
    }
    expect(left).toEqual([]);
  }, 60_000);
});
