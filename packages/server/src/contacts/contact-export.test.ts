import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type EngineContactsTestApp, openContactsTestApp } from './contact-test-kit.js';
import { csvCell } from './csv-export.js';

async function exported(t: EngineContactsTestApp, query = ''): Promise<string[][]> {
  const response = await t.get(`/v1/contacts/export.csv${query}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`export: ${response.status} ${text}`);
  expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
  return parse(text) as string[][];
}

describe('GET /v1/contacts/export.csv', () => {
  it('streams every matching contact, with the chosen columns, across pages', async () => {
    const t = await openContactsTestApp();
    const people = Array.from({ length: 1_203 }, (_, n) => ({
      type: 'identify',
      userId: `u${n}`,
      traits: { email: `p${n}@example.com`, plan: n % 3 === 0 ? 'pro' : 'free', seats: n },
    }));
    for (let i = 0; i < people.length; i += 500) await t.seed(...people.slice(i, i + 500));
    const all = await exported(t, '?columns=userId,email,traits.plan,traits.seats&sort=email');
    expect(all[0]).toEqual(['userId', 'email', 'traits.plan', 'traits.seats']);
    expect(all).toHaveLength(1 + 1_203);
    expect(new Set(all.slice(1).map((row) => row[0])).size).toBe(1_203);
    const pro = await exported(
      t,
      `?columns=userId&filters=${encodeURIComponent('[{"field":"traits.plan","op":"eq","value":"pro"}]')}`,
    );
    expect(pro).toHaveLength(1 + 401);
  });

  it('escapes text a spreadsheet would run as a formula, and keeps numbers as numbers', async () => {
    const t = await openContactsTestApp();
    await t.seed({
      type: 'identify',
      userId: 'eve',
      traits: {
        email: 'eve@example.com',
        name: '=HYPERLINK("http://evil.example","click")',
        score: -5,
        note: '-5',
        at: '@SUM(A1)',
      },
    });
    const [header, row] = await exported(t, '?columns=name,traits.score,traits.note,traits.at');
    expect(header).toEqual(['name', 'traits.score', 'traits.note', 'traits.at']);
    expect(row).toEqual([`'=HYPERLINK("http://evil.example","click")`, '-5', "'-5", "'@SUM(A1)"]);
  });

  it('names a bad column, a bad filter, and needs the admin token', async () => {
    const t = await openContactsTestApp();
    const badColumn = await t.get('/v1/contacts/export.csv?columns=email,password');
    expect(badColumn.status).toBe(400);
    expect(await badColumn.text()).toMatch(/password is not one of/);
    const badFilter = await t.get(
      `/v1/contacts/export.csv?filters=${encodeURIComponent('[{"field":"nope","op":"eq","value":1}]')}`,
    );
    expect(badFilter.status).toBe(400);
    expect((await t.get('/v1/contacts/export.csv', null)).status).toBe(401);
  });
});

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    [-3.5, -3.5],
    [true, 'true'],
    [null, ''],
    [['a', '=b'], 'a; =b'],
    [['=a', 'b'], "'=a; b"],
    [{ k: 1 }, '{"k":1}'],
    [' =1+1', "' =1+1"],
    ['\uff1d1+1', "'\uff1d1+1"],
  ])('%j → %j', (value, cell) => expect(csvCell(value)).toEqual(cell));
});
