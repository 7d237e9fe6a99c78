import { createAccounts } from './001-create-accounts.js';
import { createChangeFeed } from './002-create-change-feed.js';
import type { PostgresMigration } from './types.js';

/** Every PostgreSQL migration, in order. */
export const postgresMigrations: readonly PostgresMigration[] = [createAccounts, createChangeFeed];
