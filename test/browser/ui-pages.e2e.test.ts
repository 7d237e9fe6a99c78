// Every page of the web UI driven in real headless Chromium (issue #19). Each step saves a
// screenshot to docs/ui/ and runs axe-core; no page may print a CSP or script error.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seedPeople, seriousViolations, startUiSuite, type UiSuite } from './ui-suite.js';

let suite: UiSuite;
let page: Page;
let contactUrl = '';
const adminEmail = 'ada@example.com';

beforeAll(async () => {
  suite = await startUiSuite('ui-pages');
  await suite.createUser('admin', adminEmail);
  await suite.ingest(seedPeople(120));
}, 120_000);

afterAll(async () => {
  await suite?.close();
});

/** Screenshot, then axe: no serious or critical violation on this page. */
async function check(name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

const rowNames = () => page.locator('tbody tr td:first-child').allTextContents();

describe('the web UI in Chromium', () => {
  it('logs in, and shows the contacts list', async () => {
    const login = await suite.browser.context.newPage();
    await login.goto(`${suite.server.url}/ui/contacts`);
    expect(login.url()).toContain('/ui/login?next=');
    page = login;
    await check('login');
    await login.close();
    page = await suite.login(adminEmail);
    await expect.poll(async () => (await rowNames()).length).toBe(50);
    await check('contacts-list');
  });

  it('searches by the start of a name or email', async () => {
    await page.getByLabel('Search').fill('person011');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=person011/);
    expect(await rowNames()).toEqual(['Person 011']);
    await check('contacts-search');
  });

  it('filters by a trait, and counts what matches', async () => {
    await page.goto(`${suite.server.url}/ui/contacts`);
    await page.getByLabel('Trait').fill('plan');
    await page.getByLabel('equals').fill('team');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/trait=plan/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('40 matching');
    await check('contacts-filtered');
  });

  it('sorts by a column (aria-sort) and pages with the cursor', async () => {
    await page.goto(`${suite.server.url}/ui/contacts`);
    await page.getByRole('link', { name: /^Email/ }).click();
    await page.waitForURL(/sort=-email/);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Email');
    expect((await rowNames())[0]).toBe('Person 119');
    await page.getByRole('link', { name: /^Email/ }).click();
    await page.waitForURL(/sort=email/);
    expect((await rowNames())[0]).toBe('Person 000');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    expect((await rowNames())[0]).toBe('Person 050');
    await page.getByRole('link', { name: 'Next page' }).click();
    expect((await rowNames())[0]).toBe('Person 100');
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
    await check('contacts-sorted-paged');
  });

  it('opens a contact, edits a field and adds a note', async () => {
    await page.goto(`${suite.server.url}/ui/contacts?q=person005`);
    await Promise.all([page.waitForURL(/\/ui\/contacts\/ct_/), page.getByRole('link', { name: 'Person 005' }).click()]);
    contactUrl = page.url();
    expect(await page.locator('h1').textContent()).toContain('Person 005');
    await check('contact-page');
    await page.getByLabel('Lifecycle stage').selectOption('customer');
    await page.getByLabel('Owner').fill(adminEmail);
    await Promise.all([page.waitForURL(/done=saved/), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await page.locator('main').textContent()).toContain('Customer');
    await page.getByLabel('New note').fill('<b>Called</b> them about the renewal');
    await Promise.all([page.waitForURL(/done=note_added/), page.getByRole('button', { name: 'Add note' }).click()]);
    expect(await page.locator('main').textContent()).toContain('<b>Called</b> them about the renewal');
    await check('contact-edited');
  });

  it('updates the contact page live when an event changes the contact, without a reload', async () => {
    await page.goto(contactUrl);
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    // The event goes in once the page's stream is open and the server is watching.
    await page.locator('#contact-live[data-live-ready]').waitFor();
    await suite.ingest([{ type: 'identify', userId: 'user-005', traits: { plan: 'enterprise-live' } }]);
    await expect
      .poll(() => page.locator('#contact-live').textContent(), { timeout: 10_000 })
      .toContain('enterprise-live');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await check('contact-live');
  });

  it('merges another contact into this one, after a confirmation', async () => {
    await page.goto(contactUrl);
    await page.getByLabel("Other contact's id (ct_…) or email").fill('person006@example.com');
    await Promise.all([page.waitForURL(/\/merge\?other=/), page.getByRole('button', { name: 'Review merge' }).click()]);
    await check('contact-merge-confirm');
    await Promise.all([
      page.waitForURL(/done=merged/),
      page.getByRole('button', { name: 'Merge', exact: true }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('user-006');
  });

  it('exports a contact as JSON and a list view as CSV', async () => {
    await page.goto(contactUrl);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download everything stored (JSON)' }).click(),
    ]);
    expect(readFileSync(await json.path(), 'utf8')).toContain('person005@example.com');
    await page.goto(`${suite.server.url}/ui/contacts?trait=plan&traitValue=team`);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const lines = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^id,email,name/);
    // 40 seeded on the team plan, less person 005, whose plan the live test changed.
    expect(lines.length - 1).toBe(39);
  });

  it('imports a CSV with bad rows, shows them by line, and downloads them', async () => {
    await page.goto(`${suite.server.url}/ui/imports`);
    await check('imports');
    const file = [
      'email,name,plan',
      'visitor1@trade.example,Visitor One,pro',
      'not-an-email,Bad Row,free',
      'visitor2@trade.example,Visitor Two,team',
    ].join('\n');
    await page
      .getByLabel(/CSV file/)
      .setInputFiles({ name: 'trade-show.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Start import' }).waitFor();
    await check('import-preview');
    await Promise.all([
      page.waitForURL(/\/ui\/imports\/[^/]+$/),
      page.getByRole('button', { name: 'Start import' }).click(),
    ]);
    await expect.poll(() => page.locator('#import-progress').textContent(), { timeout: 10_000 }).toMatch(/Done/);
    expect(await page.locator('#import-progress').textContent()).toMatch(/not-an-email|email/);
    await check('import-status');
    const [problems] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the refused rows (CSV)' }).click(),
    ]);
    expect(readFileSync(await problems.path(), 'utf8')).toContain('not-an-email');
  });

  it('erases a contact after a confirmation that names what goes', async () => {
    await page.goto(`${suite.server.url}/ui/contacts?q=person010`);
    await page.getByRole('link', { name: 'Person 010' }).click();
    await Promise.all([page.waitForURL(/\/erase$/), page.getByRole('link', { name: 'Erase this contact…' }).click()]);
    expect(await page.locator('main').textContent()).toContain('person010@example.com');
    await check('contact-erase-confirm');
    page.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([page.waitForURL(/done=erased/), page.getByRole('button', { name: 'Erase for good' }).click()]);
    await page.goto(`${suite.server.url}/ui/contacts?q=person010`);
    expect(await rowNames()).toEqual(['No contacts match.']);
  });

  it('shows companies and a company page', async () => {
    await page.goto(`${suite.server.url}/ui/companies`);
    await check('companies');
    await page
      .getByRole('link', { name: /Company 1/ })
      .first()
      .click();
    await page.waitForURL(/\/ui\/companies\/co-/);
    expect(await page.locator('main').textContent()).toContain('Person');
    await check('company-page');
  });

  it('shows audiences, and an audience page whose members follow the feed live', async () => {
    const audience = await suite.api('POST', '/v1/audiences', {
      name: 'Pro plan',
      rule: { trait: 'plan', op: 'eq', value: 'pro' },
    });
    await expect
      .poll(async () => (await suite.api('GET', `/v1/audiences/${audience.id}`)).state, { timeout: 20_000 })
      .toBe('ready');
    await page.goto(`${suite.server.url}/ui/audiences`);
    await check('audiences');
    await page.getByRole('link', { name: 'Pro plan' }).click();
    await page.waitForURL(/\/ui\/audiences\/aud_/);
    await page.locator('#audience-live[data-live-ready]').waitFor();
    await suite.ingest([
      {
        type: 'identify',
        userId: 'newcomer',
        traits: { email: 'newcomer@example.com', name: 'New Comer', plan: 'pro' },
      },
    ]);
    await expect.poll(() => page.locator('#audience-live').textContent(), { timeout: 10_000 }).toContain('New Comer');
    await check('audience-page');
  });

  it('shows the admin pages: users, keys, the audit log of what was done above, and the account', async () => {
    await page.goto(`${suite.server.url}/ui/admin`);
    await check('admin-users');
    await page.getByLabel('Email').fill('bo@example.com');
    await page.getByLabel('Name (optional)').fill('Bo');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByLabel(/Initial password/).fill('a long enough password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('link', { name: 'bo@example.com' }).click();
    await page.waitForURL(/\/ui\/admin\/users\/us_/);
    await check('admin-user');
    await page.goto(`${suite.server.url}/ui/admin/keys`);
    await check('admin-keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByLabel('Secret').inputValue()).toMatch(/^wk_/);
    await check('admin-key-created');
    await page.goto(`${suite.server.url}/ui/admin/audit`);
    const audit = (await page.locator('main').textContent()) ?? '';
    for (const action of [
      'contact.merged',
      'contact.exported',
      'contacts.exported',
      'import.started',
      'contact.erased',
    ]) {
      expect(audit).toContain(action);
    }
    await check('admin-audit');
    await page.goto(`${suite.server.url}/ui/account`);
    await check('account');
  });

  it('reads well on a phone, and starts with a skip link for the keyboard', async () => {
    const phone = await suite.login(adminEmail, { width: 390, height: 844 });
    await phone.keyboard.press('Tab');
    expect(
      await phone.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement
            .textContent,
      ),
    ).toContain('Skip to content');
    const previous = page;
    page = phone;
    await check('phone-contacts');
    await phone.goto(contactUrl);
    await check('phone-contact');
    page = previous;
    await phone.close();
  });

  it('has an axe run that does find violations (so a clean result means something)', async () => {
    const scratch = await suite.browser.context.newPage();
    await scratch.setContent('<html><body><img src="x.png"><input type="text"></body></html>');
    const ids = (await seriousViolations(scratch)).map((violation) => violation.id);
    await scratch.close();
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label']));
  });

  it('printed no CSP or script error on any page', () => {
    expect(suite.pageErrors).toEqual([]);
  });
});
