// The contract every ContactImports keeps (contacts/contact-store.ts, imports/import-row-rule.ts),
// with ingest, erasure and the feed beside it. Not part of the build.
import { describe, expect, it } from 'vitest';
import type { ChangeStore } from '../changes/change-store.js';
import type { ContactStore } from '../contacts/contact-store.js';
import type { PrivacyStore } from '../privacy/privacy-store.js';
import { ingest, type OpenIngestWith } from '../storage/store-harness.contract.js';
import type { ImportOptions } from './import-row-rule.js';
import type { ImportRow } from './import-rows.js';

type ImportParts = {
  readonly contacts: Pick<ContactStore, 'queries' | 'imports'>;
  readonly privacy: PrivacyStore;
  readonly changes: ChangeStore;
};

const minute = 60_000;
const options = (key: ImportOptions['key'], mode: ImportOptions['mode'] = 'upsert'): ImportOptions => ({
  key,
  mode,
  importId: 'imp_1',
  limitOf: (type) => (type === 'user_id' ? 1 : 10),
  maxIdentifiers: 20,
});
let line = 1;
const row = (fields: Partial<ImportRow> & { at: number }): ImportRow => ({ line: ++line, traits: {}, ...fields });

export function testContactImportsContract(open: OpenIngestWith<ImportParts>): void {
  describe('ContactImports contract', () => {
    it('finds or makes each contact by the key, the newest value of a trait winning, an outcome per row', async () => {
      const harness = await open();
      const { imports, queries } = harness.store.contacts;
      const at = harness.clock.time;
      expect(
        await imports.importRows(
          [
            row({ email: 'a@x.io', traits: { plan: 'pro' }, at }),
            row({ email: 'b@x.io', userId: 'ub', traits: { plan: 'free' }, lifecycleStage: 'lead', tags: ['vip'], at }),
            row({ email: 'a@x.io', traits: { city: 'Oslo' }, at }),
          ],
          options('email'),
        ),
      ).toEqual(['created', 'created', 'updated']);
      const b = await queries.profileByIdentifier('user_id', 'ub');
      expect(b).toMatchObject({ lifecycle_stage: 'lead', tags: '["vip"]' });
      expect(JSON.parse(b?.traits ?? '{}')).toEqual({ plan: 'free' });
      expect((await queries.profileByIdentifier('email', 'b@x.io'))?.id).toBe(b?.id);

      expect(
        await imports.importRows(
          [
            row({ email: 'a@x.io', traits: { plan: 'team' }, at: at + 1 }),
            row({ email: 'b@x.io', traits: { plan: 'free' }, at }),
            row({ email: 'a@x.io', traits: { plan: 'old' }, at: at - 1 }),
          ],
          options('email'),
        ),
      ).toEqual(['updated', 'unchanged', 'unchanged']);
      const a = await queries.profileByIdentifier('email', 'a@x.io');
      expect(JSON.parse(a?.traits ?? '{}')).toEqual({ plan: 'team', city: 'Oslo' });
      const types = (await harness.store.changes.read({ after: 0, limit: 100 })).map((change) => change.type);
      expect(types).toEqual(['contact.created', 'contact.created', 'contact.updated', 'contact.updated']);
      await harness.close();
    });

    it("refuses a row naming another contact's identifier or passing a limit; fillEmpty fills only what is empty", async () => {
      const harness = await open();
      const { imports, queries } = harness.store.contacts;
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { email: 'c@x.io', plan: 'pro' } });
      const at = harness.clock.time;
      expect(
        await imports.importRows(
          [row({ email: 'c@x.io', userId: 'u2', at }), row({ email: 'new@x.io', userId: 'u1', at })],
          options('email'),
        ),
      ).toEqual([
        { error: "userId: u2 would pass this contact's limit of 1 (identity rules)" },
        { error: 'userId: u1 belongs to another contact than the email of this row names' },
      ]);
      expect(
        await imports.importRows(
          [
            row({ email: 'c@x.io', userId: 'u2', at }),
            row({ email: 'c@x.io', traits: { plan: 'free', city: 'Oslo' }, owner: 'sam', at: at + 1 }),
          ],
          options('email', 'fillEmpty'),
        ),
      ).toEqual(['unchanged', 'updated']);
      const contact = await queries.profileByIdentifier('user_id', 'u1');
      expect(JSON.parse(contact?.traits ?? '{}')).toEqual({ email: 'c@x.io', plan: 'pro', city: 'Oslo' });
      expect(contact?.owner).toBe('sam');
      expect(await queries.profileByIdentifier('email', 'new@x.io')).toBeUndefined();
      await harness.close();
    });

    it('refuses a suppressed identifier, and one erased after the row was dated', async () => {
      const harness = await open();
      const { imports, queries } = harness.store.contacts;
      await ingest(
        harness,
        { type: 'identify', userId: 'gone', traits: { email: 'gone@x.io' } },
        { type: 'identify', userId: 'stop', traits: { email: 'stop@x.io' } },
      );
      const before = harness.clock.time;
      harness.clock.time += minute;
      for (const userId of ['gone', 'stop']) {
        const profile = await queries.profileByIdentifier('user_id', userId);
        await harness.store.privacy.eraser.erase(profile?.id as number, { suppress: userId === 'stop' });
      }
      harness.clock.time += minute;
      expect(
        await imports.importRows(
          [
            row({ email: 'gone@x.io', at: before }),
            row({ email: 'stop@x.io', at: harness.clock.time }),
            row({ email: 'gone@x.io', traits: { plan: 'new' }, at: harness.clock.time }),
          ],
          options('email'),
        ),
      ).toEqual([
        { error: "email: gone@x.io was erased after this row's date" },
        { error: 'email: stop@x.io is suppressed' },
        'created',
      ]);
      await harness.close();
    });
  });
}
