import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './support/clean-env.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'weft-cli-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function weftServer(...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts', ...args], {
    cwd: repoRoot,
    env: cleanEnv({ WEFT_DB: join(dir, 'weft.db') }),
    encoding: 'utf8',
    // A hung command fails this test in time instead of stalling the whole run.
    timeout: 15_000,
  });
}

/** For commands expected to fail: execFileSync would throw on their exit code. */
function weftServerStatus(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts', ...args], {
    cwd: repoRoot,
    env: cleanEnv({ WEFT_DB: join(dir, 'weft.db') }),
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the weft-server command', () => {
  it.each([
    [['--help'], 'Usage: weft-server [command]'],
    [['serve', '--help'], 'Usage: weft-server serve'],
    [['keys', '--help'], 'Usage: weft-server keys <create|list|revoke>'],
    [['keys', 'create', '--help'], 'Usage: weft-server keys create'],
    [['keys', 'list', '--help'], 'Usage: weft-server keys list'],
    [['keys', 'revoke', '--help'], 'Usage: weft-server keys revoke'],
    [['users', '--help'], 'Usage: weft-server users <create|list|set-role|disable|enable>'],
    [['users', 'create', '--help'], 'Usage: weft-server users create'],
  ])('%j prints its usage', { timeout: 20_000 }, (args, usage) => {
    expect(weftServer(...args)).toContain(usage);
  });

  it('creates, lists and revokes keys in WEFT_DB', { timeout: 30_000 }, () => {
    const created = weftServer('keys', 'create', '--admin');
    const id = /^created (cred_\w+)/.exec(created)?.[1] ?? '';
    expect(weftServer('keys', 'list')).toContain(`${id}  admin token`);
    expect(weftServer('keys', 'revoke', id)).toBe(`revoked ${id}\n`);
    expect(weftServer('keys', 'list')).toMatch(/revoked \d{4}-/);
  });

  it('creates a user with a password piped to --password-stdin, and lists them', { timeout: 30_000 }, () => {
    const created = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'packages/server/src/main.ts',
        'users',
        'create',
        '--email',
        'ada@example.com',
        '--role',
        'admin',
        '--password-stdin',
      ],
      {
        cwd: repoRoot,
        env: cleanEnv({ WEFT_DB: join(dir, 'weft.db') }),
        encoding: 'utf8',
        input: 'a password long enough\n',
        timeout: 15_000,
      },
    );
    expect(created).toMatch(/^created us_\S+ {2}ada@example.com {2}admin/);
    expect(created).not.toContain('password');
    expect(weftServer('users', 'list')).toContain('ada@example.com  admin');
  });

  it('`keys` without a command prints its usage on stderr and exits 1', { timeout: 20_000 }, () => {
    expect(weftServerStatus('keys')).toMatchObject({
      status: 1,
      stdout: '',
      stderr: expect.stringContaining('Usage: weft-server keys <create|list|revoke>'),
    });
  });

  it('`serve` with an unknown flag exits 1 naming the flag, without starting', { timeout: 20_000 }, () => {
    expect(weftServerStatus('serve', '--port', '9000')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining("Unknown option '--port'"),
    });
  });
});
