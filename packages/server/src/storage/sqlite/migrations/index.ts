import { createEvents } from './001-create-events.js';
import { createCredentials } from './002-create-credentials.js';
import { indexProfileTimeline } from './003-index-profile-timeline.js';
import { createIdentity } from './004-create-identity.js';
import { addContactFields } from './005-add-contact-fields.js';
import { createNotes } from './006-create-notes.js';
import { createManualEdits } from './007-create-manual-edits.js';
import { indexCompanies } from './008-index-companies.js';
import { createPrivacy } from './009-create-privacy.js';
import { indexTraitValues } from './010-index-trait-values.js';
import { indexContactNames } from './011-index-contact-names.js';
import { addTraitValueDays } from './012-add-trait-value-days.js';
import { addCursorKey } from './013-add-cursor-key.js';
import { indexContactText } from './014-index-contact-text.js';
import { hardenPrivacy } from './015-harden-privacy.js';
import { createChangeFeed } from './016-create-change-feed.js';
import { mergeTextIndexOnErasure } from './017-text-index-merged-on-erasure.js';
import { writeContactKeysOnce } from './018-contact-keys-written-once.js';
import { dropUnusedEventIndexes } from './019-drop-unused-event-indexes.js';
import { createAudiences } from './020-create-audiences.js';
import { createComputedTraits } from './021-create-computed-traits.js';
import { createWebhooks } from './022-create-webhooks.js';
import { addWebhookForwarding } from './023-add-webhook-forwarding.js';
import { indexPendingWebhookMessages } from './024-index-pending-webhook-messages.js';
import { createPublishableKeys } from './025-create-publishable-keys.js';
import { createUsers } from './026-create-users.js';
import { createLeases } from './027-create-leases.js';
import { countAudienceMembers } from './028-count-audience-members.js';
import { createImportJobs } from './029-create-import-jobs.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in the order they are applied. Append new ones; never edit a shipped one. */
export const migrations: readonly Migration[] = [
  createEvents,
  createCredentials,
  indexProfileTimeline,
  createIdentity,
  addContactFields,
  createNotes,
  createManualEdits,
  indexCompanies,
  createPrivacy,
  indexTraitValues,
  indexContactNames,
  addTraitValueDays,
  addCursorKey,
  indexContactText,
  hardenPrivacy,
  createChangeFeed,
  mergeTextIndexOnErasure,
  writeContactKeysOnce,
  dropUnusedEventIndexes,
  createAudiences,
  createComputedTraits,
  createWebhooks,
  addWebhookForwarding,
  indexPendingWebhookMessages,
  createPublishableKeys,
  createUsers,
  createLeases,
  countAudienceMembers,
  createImportJobs,
];
