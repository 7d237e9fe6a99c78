import type { AudienceStore } from '../audiences/audience-store.js';
import type { ComputedTraitStore } from '../audiences/computed-trait-store.js';
import type { CredentialStore } from '../auth/credential-store.js';
import type { ChangeStore } from '../changes/change-store.js';
import type { CompanyQueries } from '../companies/company-store.js';
import type { ContactStore } from '../contacts/contact-store.js';
import type { CursorCodec } from '../contacts/cursor.js';
import type { ImportJobStore } from '../imports/import-job-store.js';
import type { LeaseStore } from '../leases/lease-store.js';
import type { PersonalizeStore } from '../personalize/personalize-store.js';
import type { PrivacyStore } from '../privacy/privacy-store.js';
import type { UserStore } from '../users/user-store.js';
import type { WebhookStore } from '../webhooks/webhook-store.js';
import type { EventStore } from './event-store.js';

/**
 * Everything the server keeps, behind engine-neutral interfaces: routes and services receive these,
 * never a database handle. Every method answers a promise, so that a PostgreSQL store can stand
 * where the SQLite one (storage/sqlite/sqlite-store.ts) stands today. docs/architecture.md says what
 * each promises.
 */
export interface Store {
  readonly events: EventStore;
  readonly contacts: ContactStore;
  readonly companies: CompanyQueries;
  readonly privacy: PrivacyStore;
  readonly credentials: CredentialStore;
  /** The change feed: every change to a contact, in order, for consumers that never miss one. */
  readonly changes: ChangeStore;
  /** Signs and reads the cursors of every paged list, under a key the store keeps. */
  readonly cursors: CursorCodec;
  /** Audience definitions and membership, kept current by every write (audiences/). */
  readonly audiences: AudienceStore;
  /** Computed trait definitions and each contact's values (audiences/computed-trait.ts). */
  readonly computedTraits: ComputedTraitStore;
  /** Webhook endpoints and their delivery queues, filled from the change feed (webhooks/). */
  readonly webhooks: WebhookStore;
  /** Publishable keys and the visitor reads of `GET /v1/personalize` (personalize/). */
  readonly personalize: PersonalizeStore;
  /** People who log in to the web UI, their sessions and saved views, and the audit log (users/). */
  readonly users: UserStore;
  /** Who holds each named piece of background work, so that several servers do it once (leases/). */
  readonly leases: LeaseStore;
  /** CSV imports, as every server answers for them (imports/import-jobs.ts). */
  readonly importJobs: ImportJobStore;
}
