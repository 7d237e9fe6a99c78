import { createAccounts } from './001-create-accounts.js';
import { createChangeFeed } from './002-create-change-feed.js';
import { createRateWindows } from './003-create-rate-windows.js';
import { createLeases } from './004-create-leases.js';
import { createIngest } from './005-create-ingest.js';
import { addContactFields } from './006-add-contact-fields.js';
import { createPublishableKeys } from './007-create-publishable-keys.js';
import { indexErasure } from './008-index-erasure.js';
import { createWebhooks } from './009-create-webhooks.js';
import { createAudiences } from './010-create-audiences.js';
import { addSearchFunctions } from './011-add-search-functions.js';
import { createImportJobs } from './012-create-import-jobs.js';
import type { PostgresMigration } from './types.js';

/** Every PostgreSQL migration, in order. */
export const postgresMigrations: readonly PostgresMigration[] = [
  createAccounts,
  createChangeFeed,
  createRateWindows,
  createLeases,
  createIngest,
  addContactFields,
  createPublishableKeys,
  indexErasure,
  createWebhooks,
  createAudiences,
  addSearchFunctions,
  createImportJobs,
];
