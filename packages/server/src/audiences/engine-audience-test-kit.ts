import { type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';
import type { TestAppOptions } from '../testing/test-app.js';
import { audienceRequests } from './audience-test-kit.js';

/**
 * The audience test app on the engine the matrix runs (testing/test-app.ts openTestApp, SQLite or
 * PostgreSQL): what the audience route suites in vitest.config.ts's postgres project use. Reads go
 * through SQL both engines run alike, so every read answers a promise.
 */
export interface EngineAudienceTestApp extends EngineContactsTestApp, ReturnType<typeof audienceRequests> {
  /** A contact's computed traits by the user id (else contact id) that names it. */
  computedOf(userId: string): Promise<Record<string, unknown>>;
  /** The user id (else the contact id) of a contact. */
  nameOf(contactId: string): Promise<string>;
  /** The contact id of the live contact a user id names. */
  contactOf(userId: string): Promise<string>;
  /** The user ids (else the contact ids) of an audience's members, sorted. */
  members(audienceId: string): Promise<string[]>;
  /** audience.entered / audience.exited changes, in feed order, as `entered <userId> <audienceId>`. */
  membershipChanges(): Promise<string[]>;
}

export async function openAudienceTestApp(options: TestAppOptions = {}): Promise<EngineAudienceTestApp> {
  const app = await openContactsTestApp(options);
  const first = async <T>(sql: string, params: readonly unknown[]) => (await app.query<T>(sql, params))[0];
  async function nameOf(contactId: string): Promise<string> {
    const row = await first<{ value: string }>(
      `SELECT value FROM identifiers
       WHERE profile_id = (SELECT id FROM profiles WHERE public_id = ?) AND type = 'user_id'
       ORDER BY first_seen_at LIMIT 1`,
      [contactId],
    );
    return row?.value ?? contactId;
  }
  async function liveProfileOf(name: string): Promise<number> {
    const byUser = await first<{ id: number }>(
      `SELECT coalesce(p.merged_into, p.id) AS id FROM identifiers AS i JOIN profiles AS p ON p.id = i.profile_id
       WHERE i.type = 'user_id' AND i.value = ?`,
      [name],
    );
    const found =
      byUser ??
      (await first<{ id: number }>('SELECT id FROM profiles WHERE public_id = ? AND merged_into IS NULL', [name]));
    if (!found) throw new Error(`no live contact named ${name}`);
    return Number(found.id);
  }
  return {
    ...app,
    ...audienceRequests(app),
    computedOf: async (userId) => app.store.computedTraits.valuesOf(await liveProfileOf(userId)),
    nameOf,
    async contactOf(userId) {
      const row = await first<{ public_id: string }>('SELECT public_id FROM profiles WHERE id = ?', [
        await liveProfileOf(userId),
      ]);
      return (row as { public_id: string }).public_id;
    },
    async members(audienceId) {
      const rows = await app.query<{ public_id: string }>(
        `SELECT profile.public_id FROM audience_members AS member JOIN profiles AS profile ON profile.id = member.profile_id
         WHERE member.audience_id = ?`,
        [audienceId],
      );
      return (await Promise.all(rows.map((row) => nameOf(row.public_id)))).sort();
    },
    async membershipChanges() {
      const rows = await app.query<{ type: string; contact_id: string; data: string }>(
        "SELECT type, contact_id, data FROM changes WHERE type IN ('audience.entered', 'audience.exited') ORDER BY seq",
      );
      const lines: string[] = [];
      for (const row of rows) {
        const data = JSON.parse(row.data) as { audienceId: string };
        lines.push(`${row.type.slice('audience.'.length)} ${await nameOf(row.contact_id)} ${data.audienceId}`);
      }
      return lines;
    },
  };
}
