// Every page of the web UI driven in real headless Chromium (issue #19). Each step saves a
// screenshot to docs/ui/ and runs axe-core; no page may print a CSP or script error.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seedPeople, seriousViolations, startUiSuite, type UiSuite } from './ui-suite.js';

let suite: UiSuite;
let page: Page;
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
