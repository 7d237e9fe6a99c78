import { afterEach, describe, expect, it } from 'vitest';
import { openTestSchema, type TestSchema } from '../storage/postgres/postgres-test-kit.js';
import { runKeysCommand } from './keys-command.js';
import { runUsersCommand } from './users-command.js';

let schemas: TestSchema[] = [];
afterEach(async () => {
  for (const schema of schemas) await schema.close();
  schemas = [];
});

/** WEFT_DB as an operator gives it: a postgres:// URL, the schema in its search_path. */
async function postgresEnv(): Promise<{ env: Record<string, string>; schema: TestSchema }> {
  const schema = await openTestSchema({ isMigrated: false });
  schemas.push(schema);
  return {
    env: { WEFT_DB: schema.url },
    schema,
  };
}

function io(env: Record<string, string>) {
  const output = { stdout: '', stderr: '' };
  return {
    output,
    io: {
      out: (text: string) => (output.stdout += text),
      err: (text: string) => (output.stderr += text),
      env,
      readStdin: async () => 'a long enough password for ada',
    },
  };
}

describe('the CLI on PostgreSQL', () => {
  it('creates, lists and revokes keys and users in the database WEFT_DB names, migrating it first', async () => {
    const { env, schema } = await postgresEnv();
    const created = io(env);
    expect(await runKeysCommand(['create', '--source', 'web'], created.io)).toBe(0);
    const listed = io(env);
    expect(await runKeysCommand(['list', '--json'], listed.io)).toBe(0);
    const [key] = listed.output.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; source: string });
    expect(key).toMatchObject({ source: 'web' });
    expect(await runKeysCommand(['revoke', key?.id ?? ''], io(env).io)).toBe(0);
    const after = io(env);
    await runKeysCommand(['list'], after.io);
    expect(after.output.stdout).toContain('revoked');
    // In that database, not in a file named after the URL.
    const stored = await schema.pool.query<{ id: string; revoked: boolean }>(
      'SELECT id, revoked_at IS NOT NULL AS revoked FROM credentials',
    );
    expect(stored.rows).toEqual([{ id: key?.id, revoked: true }]);

    const user = io(env);
    const code = await runUsersCommand(
      ['create', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'],
      user.io,
    );
    expect(code, user.output.stderr).toBe(0);
    const users = io(env);
    expect(await runUsersCommand(['list'], users.io)).toBe(0);
    expect(users.output.stdout).toMatch(/ada@example\.com\s+admin/);
    const accounts = await schema.pool.query<{ email: string }>('SELECT email FROM users');
    expect(accounts.rows).toEqual([{ email: 'ada@example.com' }]);
  });
});
