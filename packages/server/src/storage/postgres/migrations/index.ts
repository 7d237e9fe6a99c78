import { createAccounts } from './001-create-accounts.js';
import type { PostgresMigration } from './types.js';

/** Every PostgreSQL migration, in order. */
export const postgresMigrations: readonly PostgresMigration[] = [createAccounts];
