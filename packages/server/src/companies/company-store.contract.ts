// The contract every CompanyQueries keeps (companies/company-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import { ingest, type OpenIngestWith } from '../storage/store-harness.contract.js';
import type { CompanyQueries } from './company-store.js';

export function testCompanyStoreContract(open: OpenIngestWith<{ readonly companies: CompanyQueries }>): void {
  describe('CompanyQueries contract', () => {
    it('finds companies group calls made, lists them, and counts their live contacts', async () => {
      const harness = await open();
      await ingest(
        harness,
        { type: 'group', userId: 'u1', groupId: 'beta', traits: { name: 'Beta' } },
        { type: 'group', userId: 'u2', groupId: 'acme', traits: { name: 'Acme', plan: 'pro' } },
        { type: 'group', userId: 'u3', groupId: 'acme' },
        { type: 'identify', userId: 'u3', traits: { email: 'cy@example.com' } },
      );
      const { companies } = harness.store;
      const acme = await companies.companyByGroupId('acme');
      expect(acme).toMatchObject({ group_id: 'acme', first_seen_at: harness.clock.time });
      expect(JSON.parse(acme?.traits ?? '{}')).toEqual({ name: 'Acme', plan: 'pro' });
      expect(await companies.companyByGroupId('nope')).toBeUndefined();
      expect((await companies.listCompanies('groupId', undefined, 10)).map((row) => row.group_id)).toEqual([
        'acme',
        'beta',
      ]);
      const page = await companies.listCompanies('groupId', undefined, 1);
      const after = { sort: 'groupId', key: page[0]?.group_id ?? '', id: page[0]?.id ?? 0 };
      expect((await companies.listCompanies('groupId', after, 10)).map((row) => row.group_id)).toEqual(['beta']);
      const contacts = await companies.contactsOf(acme?.id ?? 0, 10);
      expect(contacts.map((contact) => contact.contact_email).sort()).toEqual(['', 'cy@example.com']);
      expect(await companies.contactCount(acme?.id ?? 0, 10)).toBe(2);
      expect(await companies.contactCount(acme?.id ?? 0, 1)).toBe(1);
      await harness.close();
    });
  });
}
