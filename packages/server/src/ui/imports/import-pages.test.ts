import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openUiTestApp, type UiClient, type UiTestApp, uiOrigin, visibleText } from '../ui-test-kit.js';

const xss = '<img src=x onerror=alert(1)>';
const csv = [
  'E-mail,First name,Plan',
  'ada@example.com,Ada,pro',
  `not-an-email,Nobody,free`,
  `bob@example.com,${xss},team`,
  '',
].join('\n');

/** A multipart upload from the imports page: the CSRF field first, as the form sends it. */
function upload(harness: UiTestApp, client: UiClient, text: string, name = 'people.csv') {
  const body = new FormData();
  body.append('_csrf', client.csrfToken);
  body.append('file', new File([text], name, { type: 'text/csv' }));
  return harness.app.request('/ui/imports/preview', {
    method: 'POST',
    headers: { Cookie: client.cookie, Origin: uiOrigin },
    body,
  });
}

/** The fields of the mapping form as the page pre-filled them. */
function formOf(html: string): Record<string, string> {
  const form = html.slice(html.indexOf('action="/ui/imports/start"'));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<select id="([^"]+)" name="([^"]+)">([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(match[3] ?? '');
    fields[match[2] as string] = selected?.[1] ?? '';
  }
  fields.token = /name="token" value="([^"]+)"/.exec(form)?.[1] ?? '';
  fields.mode = /name="mode" value="([^"]+)" checked/.exec(form)?.[1] ?? '';
  return fields;
}

async function finished(client: UiClient, path: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const html = await (await client.get(path)).text();
    if (!html.includes('data-poll=')) return html;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the import did not finish');
}

describe('imports in the web UI', () => {
  it('previews an upload with suggested targets, starts it, follows it to the refused row and its CSV', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('member');
    const preview = await upload(harness, client, csv);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).not.toContain(xss);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(visibleText(html)).toContain('E-mail First name Plan ada@example.com Ada pro');
    const form = formOf(html);
    expect(form).toMatchObject({
      'target-0': 'email',
      'target-1': 'firstName',
      'target-2': 'trait:Plan',
      key: 'email',
      mode: 'upsert',
    });

    const started = await client.post('/ui/imports/start', form);
    expect(started.status).toBe(303);
    const location = started.headers.get('Location') ?? '';
    expect(location).toMatch(/^\/ui\/imports\/imp_[0-9a-f]{16}\?done=import_started$/);
    const path = location.split('?')[0] as string;
    const id = path.split('/').at(-1) as string;

    const done = visibleText(await finished(client, path));
    expect(done).toContain('Done: 3 of 3 rows');
    expect(done).toMatch(/Created 2 .*Failed 1/);
    expect(done).toContain('Line Why 3 E-mail: &quot;not-an-email&quot; is not an email');

    const problems = await client.get(`${path}/problems.csv`);
    expect(problems.headers.get('Content-Type')).toContain('text/csv');
    expect(parse(await problems.text())).toEqual([
      ['E-mail', 'First name', 'Plan', 'line', 'error'],
      ['not-an-email', 'Nobody', 'free', '3', 'E-mail: "not-an-email" is not an email'],
    ]);
    const audit = await harness.store.users.audit.list({ limit: 10 });
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: client.user.email,
        action: 'import.started',
        target: id,
        detail: expect.objectContaining({ fileName: 'people.csv', rows: 3 }),
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: client.user.email, action: 'import.problems_exported', target: id }),
    );
    // The upload is let go once started: the same form cannot start it twice.
    expect(visibleText(await (await client.post('/ui/imports/start', form)).text())).toContain('upload it again');
    expect(visibleText(await (await client.get('/ui/imports')).text())).toContain(`${id} people.csv Done 3 of 3 1`);
  });

  it('keeps the choices and says why when the mapping has no key', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('member');
    const form = formOf(await (await upload(harness, client, csv)).text());
    const refused = await client.post('/ui/imports/start', { ...form, 'target-0': 'ignore' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(visibleText(html)).toContain('mapping: no column goes to email');
    expect(formOf(html)).toMatchObject({ 'target-0': 'ignore', token: form.token });
  });

  it('keeps an upload for its uploader only', async () => {
    const harness = await openUiTestApp();
    const member = await harness.loginAs('member');
    const form = formOf(await (await upload(harness, member, csv)).text());
    const other = await harness.loginAs('member');
    const answer = await other.post('/ui/imports/start', form);
    expect(answer.status).toBe(400);
    expect(visibleText(await answer.text())).toContain('upload it again');
    expect(await harness.store.users.audit.list({ limit: 5 })).toEqual([]);
    expect((await member.post('/ui/imports/start', form)).status).toBe(303);
  });

  it('runs one import at a time with the API: a UI start waits while an API import runs, and follows it', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('member');
    const form = formOf(await (await upload(harness, client, csv)).text());
    const rows = Array.from({ length: 5_000 }, (_, index) => `user${index}@example.com`);
    const api = await harness.app.request('/v1/imports', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await harness.createSecret('admin_token')}`,
        'Content-Type': 'text/csv',
      },
      body: ['email', ...rows].join('\n'),
    });
    const { id } = (await api.json()) as { id: string };
    const refused = await client.post('/ui/imports/start', form);
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain(`Import ${id} is still running`);
    const running = await (await client.get(`/ui/imports/${id}`)).text();
    expect(running).toContain('id="import-progress" data-poll="1000"');
    expect(visibleText(await finished(client, `/ui/imports/${id}`))).toContain('Done: 5000 of 5000 rows');
    expect((await client.post('/ui/imports/start', form)).status).toBe(303);
  }, 15_000);

  it('lets a viewer look but not upload or download', async () => {
    const harness = await openUiTestApp();
    const viewer = await harness.loginAs('viewer');
    const page = await (await viewer.get('/ui/imports')).text();
    expect(page).not.toContain('type="file"');
    expect((await upload(harness, viewer, csv)).status).toBe(403);
    const member = await harness.loginAs('member');
    const started = await member.post('/ui/imports/start', formOf(await (await upload(harness, member, csv)).text()));
    const path = (started.headers.get('Location') ?? '').split('?')[0] as string;
    const done = await finished(viewer, path);
    expect(done).not.toContain('problems.csv');
    expect((await viewer.get(`${path}/problems.csv`)).status).toBe(403);
  });

  it('refuses a file over the import limit before reading it', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('member');
    const answer = await harness.app.request('/ui/imports/preview', {
      method: 'POST',
      headers: {
        Cookie: client.cookie,
        Origin: uiOrigin,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(51 * 1024 * 1024),
      },
      body: '--x--',
    });
    expect(answer.status).toBe(413);
    expect(visibleText(await answer.text())).toContain('over 50 MB');
  });

  it('takes a file that large only where a file is uploaded: other /ui/imports forms have the form limit', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('viewer');
    for (const path of ['/ui/imports/start', '/ui/importsx']) {
      const answer = await harness.app.request(path, {
        method: 'POST',
        headers: {
          Cookie: client.cookie,
          Origin: uiOrigin,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(1024 * 1024),
        },
        body: 'token=x',
      });
      expect(answer.status).toBe(413);
      expect(visibleText(await answer.text())).toContain('more than 256 KB');
    }
  });

  it("refuses a viewer's upload before reading a byte of it", async () => {
    const harness = await openUiTestApp();
    const viewer = await harness.loginAs('viewer');
    let isRead = false;
    const bytes = new TextEncoder().encode(
      `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${viewer.csrfToken}\r\n--x--\r\n`,
    );
    // Pulled only when something reads it (no high-water mark): a browser's upload, seen from the server.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          isRead = true;
          controller.enqueue(bytes);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const answer = await harness.app.request('/ui/imports/preview', {
      method: 'POST',
      headers: {
        Cookie: viewer.cookie,
        Origin: uiOrigin,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes.length),
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(403);
    expect(isRead).toBe(false);
  });
});
