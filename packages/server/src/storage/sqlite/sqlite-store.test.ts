import { testAudienceStoreContract } from '../../audiences/audience-store.contract.js';
import { testCredentialStoreContract } from '../../auth/credential-store.contract.js';
import { testChangeStoreContract } from '../../changes/change-store.contract.js';
import { testCompanyStoreContract } from '../../companies/company-store.contract.js';
import { testContactStoreContract } from '../../contacts/contact-store.contract.js';
import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { testContactImportsContract } from '../../imports/contact-imports.contract.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { testLeaseStoreContract } from '../../leases/lease-store.contract.js';
import { testPersonalizeStoreContract } from '../../personalize/personalize-store.contract.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import { testPrivacyStoreContract } from '../../privacy/privacy-store.contract.js';
import { testUserStoreContract } from '../../users/user-store.contract.js';
import { testWebhookStoreContract } from '../../webhooks/webhook-store.contract.js';
import { testEventStoreContract } from '../event-store.contract.js';
import { contractStart, type OpenStore } from '../store-harness.contract.js';
import { openDatabase } from './open-database.js';
import { createSqliteStore } from './sqlite-store.js';

/** The SQLite store, as start-server.ts wires it, on a fresh in-memory database per test. */
const openSqliteStore: OpenStore = async () => {
  const db = openDatabase(':memory:');
  const clock = { time: contractStart };
  const rules = DEFAULT_IDENTITY_RULES;
  const pipeline = createServerPipeline({
    rules,
    counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
  });
  const store = createSqliteStore(db, { pipeline, rules, now: () => clock.time });
  return {
    store,
    clock,
    close: async () => {
      db.close();
    },
  };
};

testEventStoreContract(openSqliteStore);
testContactStoreContract(openSqliteStore);
testCompanyStoreContract(openSqliteStore);
testPrivacyStoreContract(openSqliteStore);
testCredentialStoreContract(openSqliteStore);
testChangeStoreContract(openSqliteStore);
testWebhookStoreContract(openSqliteStore);
testContactImportsContract(openSqliteStore);
testAudienceStoreContract(openSqliteStore);
testPersonalizeStoreContract(openSqliteStore);
testUserStoreContract(openSqliteStore);
testLeaseStoreContract(openSqliteStore);
