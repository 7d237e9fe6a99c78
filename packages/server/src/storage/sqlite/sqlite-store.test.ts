import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import { testStoreContracts } from '../store.contract.js';
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

testStoreContracts(openSqliteStore);
