import { describe, expect, it } from 'vitest';
import { isPostgresUrl, redactPostgresUrl } from './postgres-url.js';

describe('PostgreSQL connection strings', () => {
  it('tells a PostgreSQL URL from a SQLite path', () => {
    expect(isPostgresUrl('postgres://weft@db/weft')).toBe(true);
    expect(isPostgresUrl('postgresql://weft@db/weft')).toBe(true);
    expect(isPostgresUrl('./data/weft.db')).toBe(false);
    expect(isPostgresUrl('/var/lib/postgres://x.db')).toBe(false);
  });

  it('never shows a password, in the user part or the query', () => {
    const shown = redactPostgresUrl('postgres://weft:s3cr%40t@db:5432/weft?sslmode=require&password=other');
    expect(shown).not.toContain('s3cr');
    expect(shown).not.toContain('other');
    expect(shown).toBe('postgres://weft:***@db:5432/weft?sslmode=require&password=***');
    expect(redactPostgresUrl('postgres://weft:pw@')).not.toContain('pw');
    expect(redactPostgresUrl('not a url with a password')).toBe('postgres://(not a valid URL)');
  });
});
