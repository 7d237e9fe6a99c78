// Every contract suite a whole store keeps, whichever engine it is on: the SQLite store
// (sqlite/sqlite-store.test.ts) and the PostgreSQL one (postgres/postgres-store-contracts.test.ts)
// run this one list. Not part of the build.
import { testAudienceStoreContract } from '../audiences/audience-store.contract.js';
import { testCredentialStoreContract } from '../auth/credential-store.contract.js';
import { testChangeStoreContract } from '../changes/change-store.contract.js';
import { testCompanyStoreContract } from '../companies/company-store.contract.js';
import { testContactStoreContract } from '../contacts/contact-store.contract.js';
import { testContactImportsContract } from '../imports/contact-imports.contract.js';
import { testImportJobStoreContract } from '../imports/import-job-store.contract.js';
import { testLeaseStoreContract } from '../leases/lease-store.contract.js';
import { testPersonalizeStoreContract } from '../personalize/personalize-store.contract.js';
import { testPrivacyStoreContract } from '../privacy/privacy-store.contract.js';
import { testUserStoreContract } from '../users/user-store.contract.js';
import { testWebhookStoreContract } from '../webhooks/webhook-store.contract.js';
import { testEventStoreContract } from './event-store.contract.js';
import type { OpenStore } from './store-harness.contract.js';

export function testStoreContracts(open: OpenStore): void {
  testEventStoreContract(open);
  testContactStoreContract(open);
  testCompanyStoreContract(open);
  testPrivacyStoreContract(open);
  testCredentialStoreContract(open);
  testChangeStoreContract(open);
  testWebhookStoreContract(open);
  testContactImportsContract(open);
  testImportJobStoreContract(open);
  testAudienceStoreContract(open);
  testPersonalizeStoreContract(open);
  testUserStoreContract(open);
  testLeaseStoreContract(open);
}
