import { testStoreContracts } from '../store.contract.js';
import { openPostgresParts } from './postgres-store-parts.js';

// The whole PostgreSQL store, as start-server.ts wires it, on a schema of its own per test.
testStoreContracts(openPostgresParts);
