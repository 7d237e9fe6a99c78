import type { EngineTestApp, TestApp, TestAppLifetime, TestAppOptions } from '../testing/test-app.js';
import { createTestApp, openTestApp } from '../testing/test-app.js';

/** A test app with an admin token, a way to seed events through /v1/batch and to GET as admin. */
export interface ContactsTestApp extends TestApp {
  readonly adminToken: string;
  /** Posts events with the write key, so the identity step builds profiles as in production. */
  seed(...batch: Record<string, unknown>[]): Promise<void>;
  /** GETs with `Authorization: Bearer <token>` (the admin token unless given; null sends none). */
  get(path: string, token?: string | null): Promise<Response>;
  /** GETs as admin and answers the parsed JSON body, failing unless the status is `status`. */
  getJson<T = Record<string, unknown>>(path: string, status?: number): Promise<T>;
  /** Sends a JSON body (a string as is) with `method`, as admin unless `token` says otherwise. */
  send(method: string, path: string, body: unknown, token?: string | null): Promise<Response>;
  /** The contact id (`ct_…`) of the profile with integer key `key` (profiles are keyed 1, 2, … as made). */
  contactId(key: number): string;
  /** The integer key, as text, of the profile a contact id names: lets a test list ids as 1, 2, … */
  keyOf(contactId: string): string;
}

export function createContactsTestApp(options: TestAppOptions = {}): ContactsTestApp {
  const testApp = createTestApp(options);
  const adminToken = testApp.credentials.create('admin_token').secret;
  const selectPublicId = testApp.db.prepare<[number], string>('SELECT public_id FROM profiles WHERE id = ?').pluck();
  function contactId(key: number): string {
    const id = selectPublicId.get(key);
    if (id === undefined) throw new Error(`no profile ${key}`);
    return id;
  }
  const selectKey = testApp.db.prepare<[string], number>('SELECT id FROM profiles WHERE public_id = ?').pluck();
  function keyOf(publicId: string): string {
    const key = selectKey.get(publicId);
    if (key === undefined) throw new Error(`no profile ${publicId}`);
    return String(key);
  }
  return { ...testApp, ...contactRequests(testApp, adminToken), adminToken, contactId, keyOf };
}

/** The same requests on either engine (testing/test-app.ts openTestApp): for the suites of the matrix. */
export type EngineContactsTestApp = EngineTestApp &
  Pick<ContactsTestApp, 'adminToken' | 'seed' | 'get' | 'getJson' | 'send'> & {
    /** The contact id (`ct_…`) of the live contact holding this identifier. */
    contactIdBy(type: string, value: string): Promise<string>;
    /** The `key`-th profile made (1, 2, …), as createContactsTestApp's contactId: ids may have gaps. */
    contactIdAt(key: number): Promise<string>;
    /** Each contact's place among the profiles made (1, 2, …), as text: createContactsTestApp's keyOf. */
    keysOf(contacts: readonly { readonly id: string }[]): Promise<string[]>;
  };

export async function openContactsTestApp(
  options: TestAppOptions = {},
  lifetime?: TestAppLifetime,
): Promise<EngineContactsTestApp> {
  const testApp = await openTestApp(options, lifetime);
  const adminToken = await testApp.createSecret('admin_token');
  async function contactIdBy(type: string, value: string): Promise<string> {
    const [row] = await testApp.query<{ public_id: string }>(
      `SELECT live.public_id FROM identifiers AS i JOIN profiles AS p ON p.id = i.profile_id
       JOIN profiles AS live ON live.id = coalesce(p.merged_into, p.id) WHERE i.type = ? AND i.value = ?`,
      [type, value],
    );
    if (!row) throw new Error(`no contact holds ${type}:${value}`);
    return row.public_id;
  }
  async function contactIdAt(key: number): Promise<string> {
    const [row] = await testApp.query<{ public_id: string }>(
      'SELECT public_id FROM profiles ORDER BY id LIMIT 1 OFFSET ?',
      [key - 1],
    );
    if (!row) throw new Error(`no profile ${key}`);
    return row.public_id;
  }
  async function keysOf(contacts: readonly { readonly id: string }[]): Promise<string[]> {
    const keys: string[] = [];
    for (const { id } of contacts) {
      const [row] = await testApp.query<{ n: number }>(
        'SELECT count(*) AS n FROM profiles WHERE id <= (SELECT id FROM profiles WHERE public_id = ?)',
        [id],
      );
      keys.push(String(row?.n));
    }
    return keys;
  }
  return { ...testApp, ...contactRequests(testApp, adminToken), adminToken, contactIdBy, contactIdAt, keysOf };
}

/** Seeding through /v1/batch and requests as admin, on any test app. */
function contactRequests(testApp: Pick<TestApp, 'app' | 'post'>, adminToken: string) {
  async function seed(...batch: Record<string, unknown>[]) {
    const response = await testApp.post('/v1/batch', { batch });
    const body = (await response.json()) as { accepted: number; rejected: unknown[] };
    if (response.status !== 200 || body.rejected.length > 0) throw new Error(`seed failed: ${JSON.stringify(body)}`);
  }
  async function get(path: string, token: string | null = adminToken) {
    const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
    return testApp.app.request(path, { headers });
  }
  async function getJson<T>(path: string, status = 200): Promise<T> {
    const response = await get(path);
    const body = await response.json();
    if (response.status !== status) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body as T;
  }
  async function send(method: string, path: string, body: unknown, token: string | null = adminToken) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    return testApp.app.request(path, { method, headers, body: payload });
  }
  return { seed, get, getJson, send };
}

/** An ISO timestamp `minutes` after a fixed start, for events. */
export function at(minutes: number): string {
  return new Date(Date.parse('2026-02-01T00:00:00.000Z') + minutes * 60_000).toISOString();
}
