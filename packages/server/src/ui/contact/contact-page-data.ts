import type { Context } from 'hono';
import type { AudienceStore, ContactAudience } from '../../audiences/audience-store.js';
import type { ComputedTraitStore } from '../../audiences/computed-trait-store.js';
import { type FoundProfile, findProfile, type Page, readContact, readTimeline } from '../../contacts/contact-reads.js';
import type { Contact } from '../../contacts/contact-schemas.js';
import type { ContactStore } from '../../contacts/contact-store.js';
import type { Note } from '../../contacts/contact-write-schemas.js';
import type { CursorCodec } from '../../contacts/cursor.js';
import { ApiError } from '../../http/api-error.js';
import { normalizeEmail } from '../../identity/read-identity-event.js';
import type { PrivacyStore } from '../../privacy/privacy-store.js';
import type { UserStore } from '../../users/user-store.js';
import type { UiEnv } from '../ui-env.js';
import { UiError } from '../ui-error.js';

/** What the contact page and its forms use. */
export interface ContactPageDeps {
  readonly contacts: Pick<ContactStore, 'queries' | 'writes' | 'notes' | 'merges'>;
  readonly audiences: Pick<AudienceStore, 'audiencesOf'>;
  readonly computedTraits: Pick<ComputedTraitStore, 'valuesOf'>;
  readonly privacy: Pick<PrivacyStore, 'eraser' | 'exporter'>;
  readonly cursors: CursorCodec;
  readonly users: Pick<UserStore, 'audit'>;
  /** Epoch ms: the export's time. */
  readonly now: () => number;
}

export const timelinePageSize = 50;
export const notesPageSize = 20;

export interface ContactPageData {
  readonly contact: Contact;
  /** Traits whose current value a person set (the others came from events). */
  readonly editedTraits: ReadonlySet<string>;
  readonly computedTraits: Record<string, unknown>;
  readonly audiences: readonly ContactAudience[];
  readonly timeline: Page<Record<string, unknown>>;
  readonly notes: Page<Note>;
  /** The cursors this page was read after, if any. */
  readonly before: string | undefined;
  readonly notesBefore: string | undefined;
}

export function contactHref(publicId: string): string {
  return `/ui/contacts/${encodeURIComponent(publicId)}`;
}

/** The live profile a contact id, or an email typed into a form, names; a refusal a page can show. */
export async function findContact(queries: ContactStore['queries'], idOrEmail: string): Promise<FoundProfile> {
  const given = idOrEmail.trim();
  const ref = given.startsWith('ct_') ? given : given.includes('@') ? `email:${normalizeEmail(given)}` : undefined;
  const unnamed = 'Name the contact by its id (ct_…) or its email address.';
  if (ref === undefined) throw new UiError(400, unnamed);
  try {
    return await findProfile(queries, ref);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 404) throw new UiError(404, `There is no contact ${given}. It may have been erased.`);
    throw new UiError(400, unnamed);
  }
}

/** The live contact the address's :id names (a merged-away id names its survivor). */
export async function contactOfPath(c: Context<UiEnv>, deps: Pick<ContactPageDeps, 'contacts'>): Promise<FoundProfile> {
  const id = c.req.param('id') ?? '';
  const notFound = new UiError(404, 'There is no contact at this address. It may have been erased.');
  if (!id.startsWith('ct_')) throw notFound;
  try {
    return await findContact(deps.contacts.queries, id);
  } catch (error) {
    throw error instanceof UiError ? notFound : error;
  }
}

/** Everything the page shows, its timeline and notes each read after its own cursor. */
export async function loadContactPage(
  deps: ContactPageDeps,
  found: FoundProfile,
  cursors: { readonly before: string | undefined; readonly notesBefore: string | undefined },
): Promise<ContactPageData> {
  const { queries, notes } = deps.contacts;
  const profileId = found.row.id;
  const [contact, editedTraits, computedTraits, audiences, timeline, notePage] = await Promise.all([
    readContact(queries, found),
    queries.editedTraits(profileId),
    deps.computedTraits.valuesOf(profileId),
    deps.audiences.audiencesOf(profileId),
    readTimeline(queries, deps.cursors, profileId, {
      limit: timelinePageSize,
      cursor: cursors.before,
      type: undefined,
      event: undefined,
    }),
    notes.list(profileId, { limit: notesPageSize, cursor: cursors.notesBefore }),
  ]);
  return {
    contact,
    editedTraits: new Set(editedTraits),
    computedTraits,
    audiences,
    timeline,
    notes: notePage,
    ...cursors,
  };
}
