import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteAuditLog, createSqliteUserAccounts } from '../storage/sqlite/users/sqlite-user-store.js';
import { verifyPassword } from '../users/password-hash.js';
import { runUsersCommand } from './users-command.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-cli-users-'));
  dbPath = join(dir, 'weft.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], stdin = '') {
  const io = { stdout: '', stderr: '' };
  const code = await runUsersCommand(args, {
    out: (text) => (io.stdout += text),
    err: (text) => (io.stderr += text),
    env: { WEFT_DB: dbPath },
    readStdin: async () => stdin,
  });
  return { code, ...io };
}

function rows() {
  const db = openDatabase(dbPath);
  try {
    return {
      ada: createSqliteUserAccounts(db, Date.now).byEmail('ada@example.com'),
      audit: createSqliteAuditLog(db, Date.now).list({ limit: 10 }),
    };
  } finally {
    db.close();
  }
}

describe('weft-server users', () => {
  it('create --password-stdin stores a hash of the piped password, without its line break, and prints no password', async () => {
    const created = await run(
      ['create', '--email', 'ada@example.com', '--role', 'admin', '--name', 'Ada', '--password-stdin'],
      'a piped password here\n',
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^created us_\S+ {2}ada@example.com {2}admin {2}"Ada"/);
    expect(created.stdout).not.toContain('password');
    const { ada, audit } = rows();
    expect(await verifyPassword('a piped password here', ada?.passwordHash ?? '')).toBe(true);
    expect(audit).toMatchObject([{ actor: 'cli', action: 'user.created', target: ada?.id, detail: { role: 'admin' } }]);
  });

  it('create without --password-stdin generates a strong password and prints it once', async () => {
    const created = await run(['create', '--email', 'ada@example.com', '--role', 'viewer']);
    expect(created.code).toBe(0);
    const password = /^password: (\S+)$/m.exec(created.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(await verifyPassword(password, rows().ada?.passwordHash ?? '')).toBe(true);
    expect((await run(['create', '--email', 'ADA@example.com', '--role', 'viewer'])).code).toBe(1);
  });

  it('refuses a short piped password, a bad role and a bad email, creating nobody', async () => {
    const short = await run(['create', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'short\n');
    expect(short).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 12 characters') });
    expect((await run(['create', '--email', 'ada@example.com', '--role', 'owner'])).stderr).toMatch(/--role/);
    expect((await run(['create', '--email', 'ada', '--role', 'admin'])).stderr).toMatch(/--email/);
    expect(rows().ada).toBeUndefined();
  });

  it('lists users, changes a role with an audit entry, and will not demote or disable the last admin', async () => {
    await run(['create', '--email', 'ada@example.com', '--role', 'admin']);
    await run(['create', '--email', 'bo@example.com', '--role', 'viewer']);
    const listed = await run(['list']);
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('  ').slice(1, 3)),
    ).toEqual([
      ['ada@example.com', 'admin'],
      ['bo@example.com', 'viewer'],
    ]);
    const lastAdmin = await run(['set-role', 'ada@example.com', 'member']);
    expect(lastAdmin).toMatchObject({ code: 1, stderr: expect.stringContaining('last active admin') });
    expect((await run(['disable', 'ada@example.com'])).code).toBe(1);
    expect(rows().ada?.role).toBe('admin');

    expect((await run(['set-role', 'bo@example.com', 'admin'])).code).toBe(0);
    expect((await run(['set-role', 'ada@example.com', 'member'])).stdout).toMatch(/ada@example.com {2}member/);
    expect(rows().audit[0]).toMatchObject({
      actor: 'cli',
      action: 'user.role_changed',
      detail: { email: 'ada@example.com', from: 'admin', to: 'member' },
    });
    expect((await run(['disable', 'ada@example.com'])).stdout).toMatch(/disabled \d{4}-/);
    expect(rows().audit[0]).toMatchObject({ actor: 'cli', action: 'user.disabled' });
    expect((await run(['list', '--json'])).stdout.split('\n')[0]).toMatch(/"disabledAt":\d+/);
  });

  it('answers usage errors on stderr with exit 1', async () => {
    expect(await run([])).toMatchObject({ code: 1, stderr: expect.stringContaining('Usage: weft-server users') });
    expect((await run(['rename'])).stderr).toMatch(/unknown users command "rename"/);
    expect((await run(['set-role', 'nobody@example.com', 'admin'])).stderr).toMatch(/no user has email/);
    expect((await run(['create', '--help'])).stdout).toContain('Usage: weft-server users create');
  });
});
