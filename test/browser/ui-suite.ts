// The web UI in real headless Chromium against the real server (issue #19): a server in this
// process with seeded people, a logged-in browser, screenshots to docs/ui/, and axe-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { hashPassword, type Role } from '@weft/server';
import type { Page } from 'playwright-core';
import { openCliStore } from '../../packages/server/src/cli/cli-store.js';
import { testEngine } from '../../packages/server/src/testing/test-app.js';
import { type RunningChromium, startFreshChromium } from '../support/chromium.js';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server.js';
import { testAdminToken, testWriteKey } from '../support/server-process.js';

export const uiPassword = 'correct horse battery staple';
const screenshotDir = fileURLToPath(new URL('../../docs/ui/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface UiSuite {
  readonly server: InProcessServer;
  readonly browser: RunningChromium & { userDataDir: string };
  /** Every CSP or script error any page printed: a page that needs inline script shows up here. */
  readonly pageErrors: string[];
  createUser(role: Role, email: string): Promise<void>;
  /** A new tab logged in as `email`. */
  login(email: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** An admin-token call to the API, for setting up data. */
  api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Events through /v1/batch with the write key, as an SDK sends them. */
  ingest(batch: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export async function startUiSuite(name: string): Promise<UiSuite> {
  const server = await startInProcessServer(name);
  const browser = await startFreshChromium(name);
  const pageErrors: string[] = [];
  // The store as the CLI opens it, on the server's database (either engine): users are made there.
  const store = await openCliStore(server.database.url, {});
  const hash = await hashPassword(uiPassword);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${testAdminToken}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  return {
    server,
    browser,
    pageErrors,
    async createUser(role, email) {
      await store.users.accounts.create({ email, role, passwordHash: hash });
    },
    async login(email, viewport = { width: 1280, height: 860 }) {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(20_000);
      await page.setViewportSize(viewport);
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      await page.goto(`${server.url}/ui/login`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(uiPassword);
      await Promise.all([page.waitForURL(/\/ui\/contacts/), page.getByRole('button', { name: 'Log in' }).click()]);
      return page;
    },
    api,
    async ingest(batch) {
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${testWriteKey}:`).toString('base64')}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ batch }),
      });
      if (!response.ok) throw new Error(`POST /v1/batch: ${response.status} ${await response.text()}`);
    },
    async close() {
      await store.events.close();
      await browser.close();
      await server.close();
    },
  };
}

/** Saves what the page shows to docs/ui/<name>.png (committed: docs/ui.md shows every page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  // One set of pictures: the SQLite run takes them; the PostgreSQL run of the matrix shows the same pages.
  if (testEngine !== 'sqlite') return;
  mkdirSync(screenshotDir, { recursive: true });
  // The viewport, not the whole page: what a person sees first, and files small enough to commit.
  await page.screenshot({ path: `${screenshotDir}${name}.png`, animations: 'disabled' });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/**
 * axe-core run in the page, through DevTools (the page's CSP refuses injected script tags, and must):
 * the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    const { violations } = await axe.run();
    return violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.length,
    }));
  });
  return result.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Seeds `count` people as identifies with traits, a few events each, as an SDK sends them. */
export function seedPeople(count: number, start = Date.parse('2026-11-01T09:00:00.000Z')): Record<string, unknown>[] {
  const plans = ['free', 'pro', 'team'];
  const batch: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const id = String(index).padStart(3, '0');
    const at = new Date(start + index * 60_000).toISOString();
    batch.push({
      type: 'identify',
      userId: `user-${id}`,
      traits: {
        email: `person${id}@example.com`,
        name: `Person ${id}`,
        plan: plans[index % plans.length],
      },
      timestamp: at,
      messageId: `seed-identify-${id}`,
    });
    batch.push({
      type: 'group',
      userId: `user-${id}`,
      groupId: `co-${index % 5}`,
      traits: { name: `Company ${index % 5}`, industry: 'Software' },
      timestamp: at,
      messageId: `seed-group-${id}`,
    });
    batch.push({
      type: 'track',
      userId: `user-${id}`,
      event: 'Signed Up',
      properties: { source: 'seed' },
      timestamp: at,
      messageId: `seed-track-${id}`,
    });
  }
  return batch;
}
