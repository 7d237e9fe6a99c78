import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../storage/sqlite/credential-store.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqlitePublishableKeys } from '../storage/sqlite/personalize/sqlite-publishable-keys.js';
import { createSqliteAuditLog } from '../storage/sqlite/users/sqlite-user-store.js';
import { runKeysCommand } from './keys-command.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
  dbPath = join(dir, 'weft.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = { stdout: '', stderr: '' };
  const code = await runKeysCommand(args, {
    out: (text) => (io.stdout += text),
    err: (text) => (io.stderr += text),
    env: { WEFT_DB: dbPath },
  });
  return { code, ...io };
}

function withStore<T>(use: (store: ReturnType<typeof createCredentialStore>) => T): T {
  const db = openDatabase(dbPath);
  try {
    return use(createCredentialStore(db));
  } finally {
    db.close();
  }
}

describe('weft-server keys', () => {
  it('create --publishable makes a pk_ key with its allowlists, which list shows and revoke ends', async () => {
    const created = await run(
      'create',
      '--publishable',
      '--name',
      'shop',
      '--origins',
      'https://shop.example',
      '--traits',
      'plan, firstName',
      '--audiences',
      'aud_1',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.split('\n')[1] ?? '';
    expect(key).toMatch(/^pk_/);
    const db = openDatabase(dbPath);
    const found = createSqlitePublishableKeys(db, Date.now).findActive(key);
    db.close();
    expect(found?.policy).toEqual({
      traits: ['plan', 'firstName'],
      computedTraits: [],
      audiences: ['aud_1'],
      origins: ['https://shop.example'],
    });
    expect((await run('list')).stdout).toMatch(/publishable key "shop".*traits \[plan, firstName\]/);
    expect((await run('revoke', found?.id ?? '')).code).toBe(0);
    expect((await run('list')).stdout).toMatch(/publishable key "shop".*revoked/);
    const bad = await run('create', '--publishable', '--origins', 'https://shop.example/app');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/did you mean https:\/\/shop.example/);
  });

  it('create prints a write key that the server then accepts', async () => {
    const created = await run('create', '--source', 'web');
    expect(created.code).toBe(0);
    const secret = created.stdout.split('\n')[1] ?? '';
    expect(secret).toMatch(/^wk_/);
    expect(withStore((store) => store.findWriteKey(secret))?.source).toBe('web');
  });

  it('create --admin prints an admin token', async () => {
    const secret = (await run('create', '--admin')).stdout.split('\n')[1] ?? '';
    expect(withStore((store) => store.verifyAdminToken(secret))).toBe(true);
  });

  it('list shows credentials without their secrets; revoke disables one', async () => {
    const secret = (await run('create')).stdout.split('\n')[1] ?? '';
    const [listed] = (await run('list', '--json')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string });
    expect((await run('list')).stdout).not.toContain(secret.slice(3, -4));
    expect((await run('revoke', listed?.id ?? '')).code).toBe(0);
    expect(withStore((store) => store.findWriteKey(secret))).toBeUndefined();
    expect((await run('list')).stdout).toContain('revoked');
  });

  it('records each key it creates or revokes in the audit log, as the cli, never with the secret', async () => {
    const secret = (await run('create', '--admin')).stdout.split('\n')[1] ?? '';
    const [listed] = (await run('list', '--json')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string });
    await run('revoke', listed?.id ?? '');
    const db = openDatabase(dbPath);
    const entries = createSqliteAuditLog(db, Date.now).list({ limit: 10 });
    db.close();
    expect(entries.map((entry) => [entry.actor, entry.action, entry.target])).toEqual([
      ['cli', 'key.revoked', listed?.id],
      ['cli', 'key.created', listed?.id],
    ]);
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it('revoke names what is wrong with a missing or unknown id', async () => {
    expect(await run('revoke')).toMatchObject({ code: 1, stderr: expect.stringContaining('needs the id') });
    expect(await run('revoke', 'cred_nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('cred_nope') });
  });

  it.each([['--help'], ['create', '--help'], ['list', '--help'], ['revoke', '--help']])(
    'keys %s prints usage and exits 0',
    async (...args) => {
      const result = await run(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: weft-server keys/);
    },
  );

  it('without a command prints usage on stderr and exits 1, like an unknown command', async () => {
    expect(await run()).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('Usage: weft-server keys'),
    });
  });

  it('refuses an unknown command or option with usage', async () => {
    expect(await run('rotate')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown keys command "rotate"'),
    });
    expect(await run('create', '--colour')).toMatchObject({ code: 1, stderr: expect.stringContaining('--colour') });
  });
});
