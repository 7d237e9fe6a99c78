import { type ContactsTestApp, createContactsTestApp } from '../contacts/contact-test-kit.js';
import type { TestAppOptions } from '../testing/test-app.js';

/** A contacts test app that defines audiences and reads memberships and their changes. */
export interface AudienceTestApp extends ContactsTestApp {
  /** POSTs an audience and runs its backfill to the end; answers its id. */
  defineAudience(rule: unknown, name?: string): Promise<string>;
  /** POSTs a computed trait and runs its backfill to the end; answers its id. */
  defineComputed(name: string, calculation: unknown): Promise<string>;
  /** A contact's computed traits by the user id (else contact id) that names it. */
  computedOf(userId: string): Promise<Record<string, unknown>>;
  /** The user id (else the contact id) of a contact. */
  nameOf(contactId: string): string;
  /** Runs backfill steps until nothing is left. */
  backfill(): Promise<void>;
  /** Runs sweep steps until no contact is due. */
  sweep(): Promise<void>;
  /** The user ids (else the contact ids) of an audience's members, sorted. */
  members(audienceId: string): string[];
  /** audience.entered / audience.exited changes, in feed order, as `entered <userId> <audienceId>`. */
  membershipChanges(): string[];
  /** Sends one track event for `userId` at `timestamp` (epoch ms), with properties. */
  track(userId: string, event: string, timestamp: number, properties?: Record<string, unknown>): Promise<void>;
}

export function createAudienceTestApp(options: TestAppOptions = {}): AudienceTestApp {
  const app = createContactsTestApp(options);
  const userOf = app.db.prepare<[string], string | null>(
    `SELECT value FROM identifiers
     WHERE profile_id = (SELECT id FROM profiles WHERE public_id = ?) AND type = 'user_id' ORDER BY first_seen_at LIMIT 1`,
  );
  const selectMembers = app.db.prepare<[string], string>(
    'SELECT profile.public_id FROM audience_members AS member JOIN profiles AS profile ON profile.id = member.profile_id WHERE member.audience_id = ?',
  );
  const selectChanges = app.db.prepare<[], { type: string; contact_id: string; data: string }>(
    "SELECT type, contact_id, data FROM changes WHERE type IN ('audience.entered', 'audience.exited') ORDER BY seq",
  );
  const profileOfUser = app.db
    .prepare<[string], number>(
      `SELECT coalesce(p.merged_into, p.id) FROM identifiers AS i JOIN profiles AS p ON p.id = i.profile_id
       WHERE i.type = 'user_id' AND i.value = ?`,
    )
    .pluck();
  const profileOfContact = app.db
    .prepare<[string], number>('SELECT id FROM profiles WHERE public_id = ? AND merged_into IS NULL')
    .pluck();
  const nameOf = (contactId: string) => userOf.pluck().get(contactId) ?? contactId;
  const requests = audienceRequests(app);
  return {
    ...app,
    ...requests,
    async computedOf(userId) {
      const profileId = profileOfUser.get(userId) ?? profileOfContact.get(userId);
      if (profileId === undefined) throw new Error(`no live contact named ${userId}`);
      return app.store.computedTraits.valuesOf(profileId);
    },
    nameOf,
    members: (audienceId) => selectMembers.pluck().all(audienceId).map(nameOf).sort(),
    membershipChanges: () =>
      selectChanges.all().map((row) => {
        const data = JSON.parse(row.data) as { audienceId: string };
        return `${row.type.slice('audience.'.length)} ${nameOf(row.contact_id)} ${data.audienceId}`;
      }),
  };
}

/** Defining, backfilling, sweeping and tracking through the API and the store, on any test app. */
export function audienceRequests(app: Pick<ContactsTestApp, 'send' | 'seed' | 'store'>) {
  const store = app.store.audiences;
  let sent = 0;
  async function backfill() {
    while (await store.backfillStep(1_000)) {}
  }
  async function define(path: string, body: unknown): Promise<string> {
    const response = await app.send('POST', path, body);
    const answer = (await response.json()) as { id: string };
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    await backfill();
    return answer.id;
  }
  return {
    defineAudience: (rule: unknown, name = 'audience') => define('/v1/audiences', { name, rule }),
    defineComputed: (name: string, calculation: unknown) => define('/v1/computed-traits', { name, calculation }),
    backfill,
    async sweep() {
      while ((await store.sweepStep(100)) > 0) {}
    },
    async track(userId: string, event: string, timestamp: number, properties: Record<string, unknown> = {}) {
      sent += 1;
      await app.seed({
        type: 'track',
        userId,
        event,
        properties,
        messageId: `audience-test-${sent}`,
        timestamp: new Date(timestamp).toISOString(),
      });
    },
  };
}
