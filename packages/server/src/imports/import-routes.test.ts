import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';

interface JobView {
  id: string;
  status: string;
  rows: { total: number; processed: number; created: number; updated: number; unchanged: number; failed: number };
  problems: { line: number; message: string }[];
}

async function upload(t: EngineContactsTestApp, path: string, csv: string): Promise<Response> {
  return t.app.request(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'text/csv' },
    body: csv,
  });
}

/** Starts an import and waits for it to finish; answers the finished job. */
async function imported(t: EngineContactsTestApp, csv: string, query = ''): Promise<JobView> {
  const started = await upload(t, `/v1/imports${query}`, csv);
  const job = (await started.json()) as JobView;
  if (started.status !== 202) throw new Error(`POST /v1/imports: ${started.status} ${JSON.stringify(job)}`);
  for (let i = 0; i < 200; i++) {
    const view = await t.getJson<JobView>(`/v1/imports/${job.id}`);
    if (view.status !== 'running') return view;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the import did not finish');
}

const contact = (t: EngineContactsTestApp, email: string) =>
  t.getJson<Record<string, unknown>>(`/v1/contacts/email:${email}`);

describe('CSV import', () => {
  it('previews the columns and first rows, and suggests where each column goes', async () => {
    const t = await openContactsTestApp();
    const response = await upload(
      t,
      '/v1/imports/preview',
      'E-mail,First name,Company,Plan\nada@example.com,Ada,Acme,pro\n',
    );
    expect(await response.json()).toEqual({
      columns: ['E-mail', 'First name', 'Company', 'Plan'],
      rows: [['ada@example.com', 'Ada', 'Acme', 'pro']],
      suggestedMapping: { 'E-mail': 'email', 'First name': 'firstName', Company: 'company', Plan: 'trait:Plan' },
    });
  });

  it('imports good rows through the feed, reports bad ones by line, and gives them back as CSV', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'grace', traits: { email: 'grace@example.com', plan: 'free' } });
    const csv = [
      'email,name,stage,plan',
      'ada@example.com,Ada Lovelace,lead,pro',
      'grace@example.com,Grace Hopper,customer,team',
      'not-an-email,Nobody,lead,free',
      'bob@example.com,Bob,wizard,free',
      'carol@example.com,"=HYPERLINK(""http://evil.example"")"',
      'dan@example.com,Dan,,',
    ].join('\n');
    const mapping = JSON.stringify({ email: 'email', name: 'name', stage: 'lifecycleStage', plan: 'trait:plan' });
    const job = await imported(t, csv, `?key=email&mapping=${encodeURIComponent(mapping)}`);
    expect(job.status).toBe('done');
    expect(job.rows).toEqual({ total: 6, processed: 6, created: 2, updated: 1, unchanged: 0, failed: 3 });
    expect(job.problems).toEqual([
      { line: 4, message: 'email: "not-an-email" is not an email' },
      { line: 5, message: expect.stringMatching(/^stage: "wizard" is not one of subscriber, lead/) },
      { line: 6, message: 'the line has 2 cells, the header 4' },
    ]);
    expect(await contact(t, 'ada@example.com')).toMatchObject({
      name: 'Ada Lovelace',
      lifecycleStage: 'lead',
      traits: { plan: 'pro' },
    });
    expect(await contact(t, 'grace@example.com')).toMatchObject({
      lifecycleStage: 'customer',
      traits: { plan: 'team' },
    });
    const types = (
      await t.query<{ type: string }>("SELECT type FROM changes WHERE type LIKE 'contact.%' ORDER BY seq")
    ).map((row) => row.type);
    expect(types.filter((type) => type === 'contact.created')).toHaveLength(3);
    const problems = await t.get(`/v1/imports/${job.id}/problems.csv`);
    expect(parse(await problems.text())).toEqual([
      ['email', 'name', 'stage', 'plan', 'line', 'error'],
      ['not-an-email', 'Nobody', 'lead', 'free', '4', 'email: "not-an-email" is not an email'],
      ['bob@example.com', 'Bob', 'wizard', 'free', '5', expect.stringMatching(/wizard/)],
      ['carol@example.com', `'=HYPERLINK("http://evil.example")`, '', '', '6', 'the line has 2 cells, the header 4'],
    ]);
  });

  it('refuses a row with U+0000 (NUL) in a cell, naming the column, and imports the rest', async () => {
    const t = await openContactsTestApp();
    const csv = [
      'email,name,plan',
      'ada@example.com,Ada,pro',
      'bo@example.com,B\u0000o,free',
      'cy\u0000@example.com,Cy,',
    ].join('\n');
    const mapping = JSON.stringify({ email: 'email', name: 'name', plan: 'trait:plan' });
    const job = await imported(t, csv, `?key=email&mapping=${encodeURIComponent(mapping)}`);
    expect(job.status).toBe('done');
    expect(job.rows).toMatchObject({ total: 3, created: 1, failed: 2 });
    expect(job.problems).toEqual([
      { line: 3, message: 'name: holds U+0000 (NUL), which cannot be stored' },
      { line: 4, message: 'email: holds U+0000 (NUL), which cannot be stored' },
    ]);
    expect(await contact(t, 'ada@example.com')).toMatchObject({ name: 'Ada', traits: { plan: 'pro' } });
    expect((await t.get('/v1/contacts/email:bo@example.com')).status).toBe(404);
  });

  it('lets no old row overwrite a newer value, and with fillEmpty fills only what is empty', async () => {
    const t = await openContactsTestApp();
    await t.seed({
      type: 'identify',
      userId: 'ann',
      timestamp: '2026-02-01T00:00:00.000Z',
      traits: { email: 'ann@example.com', plan: 'pro' },
    });
    // An old list (its timestamp column before the event) does not overwrite the event's value.
    await imported(t, 'email,plan,timestamp\nann@example.com,free,2025-06-01T00:00:00Z\n', '?key=email');
    expect((await contact(t, 'ann@example.com')).traits).toMatchObject({ plan: 'pro' });
    await imported(t, 'email,plan,timestamp\nann@example.com,team,2026-02-15T00:00:00Z\n', '?key=email');
    expect((await contact(t, 'ann@example.com')).traits).toMatchObject({ plan: 'team' });
    const job = await imported(t, 'email,plan,city\nann@example.com,enterprise,Paris\n', '?key=email&mode=fillEmpty');
    expect(job.rows).toMatchObject({ updated: 1 });
    expect((await contact(t, 'ann@example.com')).traits).toMatchObject({ plan: 'team', city: 'Paris' });
  });

  it('refuses a row whose identifier another contact holds, and blocked identifiers, without writing it', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', traits: { email: 'one@example.com' } });
    const job = await imported(
      t,
      'userId,email\nu2,one@example.com\nanonymous,three@example.com\n',
      `?key=userId&mapping=${encodeURIComponent(JSON.stringify({ userId: 'userId', email: 'email' }))}`,
    );
    expect(job.rows).toMatchObject({ created: 0, failed: 2 });
    expect(job.problems[0]?.message).toBe(
      'email: one@example.com belongs to another contact than the userId of this row names',
    );
    expect(job.problems[1]?.message).toMatch(/^userId: not usable as an identifier/);
    expect((await t.get('/v1/contacts/user_id:u2')).status).toBe(404);
  });

  it('names what is wrong with the file or the mapping, and needs the admin token', async () => {
    const t = await openContactsTestApp();
    const unclosed = await upload(t, '/v1/imports', 'email\n"ada@example.com\n');
    expect(unclosed.status).toBe(400);
    expect(await unclosed.text()).toMatch(/not CSV/);
    const noKey = await upload(t, '/v1/imports?key=userId', 'email\nada@example.com\n');
    expect(await noKey.text()).toMatch(/no column goes to userId/);
    const badTarget = await upload(
      t,
      `/v1/imports?mapping=${encodeURIComponent('{"email":"mail"}')}`,
      'email\na@b.co\n',
    );
    expect(((await badTarget.json()) as { error: { message: string } }).error.message).toMatch(
      /"mail" \(for "email"\) is not one of/,
    );
    const anonymous = await t.app.request('/v1/imports', { method: 'POST', body: 'email\na@b.co\n' });
    expect(anonymous.status).toBe(401);
    expect((await t.get('/v1/imports/imp_0000')).status).toBe(404);
  });

  it('runs one import at a time', async () => {
    const t = await openContactsTestApp();
    const csv = ['email', ...Array.from({ length: 2_000 }, (_, n) => `p${n}@example.com`)].join('\n');
    const first = await upload(t, '/v1/imports', csv);
    expect(first.status).toBe(202);
    const second = await upload(t, '/v1/imports', csv);
    expect(second.status).toBe(409);
    expect(await second.text()).toMatch(/still running/);
  });

  it('keeps the identity rules’ limits: no second userId on a contact', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', traits: { email: 'a@example.com' } });
    const job = await imported(t, 'email,userId\na@example.com,u2\n', '?key=email');
    expect(job.problems[0]?.message).toMatch(/^userId: u2 would pass this contact's limit of 1/);
    expect((await t.get('/v1/contacts/user_id:u2')).status).toBe(404);
  });

  it('brings back no erased or suppressed person, and caps a future date at the import', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'al', traits: { email: 'al@example.com' } });
    await t.seed({ type: 'identify', userId: 'bo', traits: { email: 'bo@example.com' } });
    expect((await t.send('DELETE', '/v1/contacts/user_id:al?suppress=true', undefined)).status).toBe(200);
    expect((await t.send('DELETE', '/v1/contacts/user_id:bo', undefined)).status).toBe(200);
    const job = await imported(
      t,
      'email,timestamp\nal@example.com,2026-01-01\nbo@example.com,2026-01-01\ncy@example.com,2099-01-01\n',
      '?key=email',
    );
    expect(job.problems.map((problem) => problem.message)).toEqual([
      'email: al@example.com is suppressed',
      "email: bo@example.com was erased after this row's date",
    ]);
    await imported(t, 'email,plan,timestamp\ncy@example.com,free,2099-01-01\n', '?key=email');
    // The 2099 row was stamped at the import's time, so an event after it still changes the value.
    t.clock.time += 60_000;
    await t.seed({ type: 'identify', userId: 'cy', traits: { email: 'cy@example.com', plan: 'pro' } });
    expect((await contact(t, 'cy@example.com')).traits).toMatchObject({ plan: 'pro' });
  });

  it('imports again what it exported: escaped cells and problems.csv’s own columns', async () => {
    const t = await openContactsTestApp();
    const job = await imported(t, "email,phone,line,error\na@example.com,'+44 20 7946 0000,4,x\n", '?key=email');
    expect(job.rows).toMatchObject({ created: 1 });
    const found = await contact(t, 'a@example.com');
    expect(found.traits).toEqual({ email: 'a@example.com', phone: '+44 20 7946 0000' });
  });

  it('numbers lines from where a record starts, across quoted newlines and CRLF', async () => {
    const t = await openContactsTestApp();
    const csv = 'email,note\r\nbad-1,x\r\nbad-2,"two\r\nlines"\r\nbad-3,y\r\n';
    const job = await imported(t, csv, '?key=email');
    expect(job.problems.map((problem) => problem.line)).toEqual([2, 3, 5]);
  });

  it('refuses a mapping that is not strings, or a trait shadowing a field', async () => {
    const t = await openContactsTestApp();
    const numeric = await upload(t, `/v1/imports?mapping=${encodeURIComponent('{"email":5}')}`, 'email\na@b.co\n');
    expect(numeric.status).toBe(400);
    const shadow = await upload(
      t,
      `/v1/imports?mapping=${encodeURIComponent('{"email":"email","e2":"trait:email"}')}`,
      'email,e2\na@b.co,c@d.co\n',
    );
    expect(((await shadow.json()) as { error: { message: string } }).error.message).toMatch(
      /trait:email is a field of its own/,
    );
    const objectNamed = await upload(t, '/v1/imports/preview', 'email,Constructor\na@b.co,x\n');
    expect(((await objectNamed.json()) as { suggestedMapping: unknown }).suggestedMapping).toEqual({
      email: 'email',
      Constructor: 'trait:Constructor',
    });
  });

  it('holds owner and tags to an edit’s rules', async () => {
    const t = await openContactsTestApp();
    const tags = Array.from({ length: 51 }, (_, n) => `t${n}`).join(';');
    const job = await imported(
      t,
      `email,owner,tags\na@example.com,${'o'.repeat(201)},x\nb@example.com,ann,${tags}\n`,
      '?key=email',
    );
    expect(job.problems.map((problem) => problem.message)).toEqual([
      'owner: an owner is 1 to 200 characters',
      'tags: up to 50 tags of 1 to 100 characters',
    ]);
  });
});
