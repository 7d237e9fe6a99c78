import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AudienceStore } from '../audiences/audience-store.js';
import type { ComputedTraitStore } from '../audiences/computed-trait-store.js';
import type { AdminGuard } from '../auth/admin-guard.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { blockedReason, type IdentityRules } from '../identity/identity-rules.js';
import { type ContactEraser, ErasureNotFinal, type PrivacyStore } from '../privacy/privacy-store.js';
import { auditFromApi } from '../users/audit-actors.js';
import type { AuditLog } from '../users/user-store.js';
import { eraseContactRoute, exportContactRoute, mergeContactsRoute } from './contact-admin-specs.js';
import { type FoundProfile, findProfile, listContacts, readTimeline, readWholeContact } from './contact-reads.js';
import { contactTimelineRoute, getContactRoute, listContactsRoute } from './contact-route-specs.js';
import { searchContactsRoute } from './contact-search-spec.js';
import type { ContactQueries, ContactStore } from './contact-store.js';
import {
  addNoteRoute,
  createContactRoute,
  editNoteRoute,
  listNotesRoute,
  patchContactRoute,
} from './contact-write-specs.js';
import type { CursorCodec } from './cursor.js';

export interface ContactRouteDeps {
  readonly contacts: ContactStore;
  /** The contact page lists its audiences. */
  readonly audiences: Pick<AudienceStore, 'audiencesOf'>;
  /** …and its computed traits. */
  readonly computedTraits: Pick<ComputedTraitStore, 'valuesOf'>;
  readonly privacy: PrivacyStore;
  readonly cursors: CursorCodec;
  readonly admin: AdminGuard;
  /** Epoch ms: stamps edits and notes. */
  readonly now: () => number;
  /** A hand-made contact's ids must be ones the resolver would use, or no event could ever join it. */
  readonly identityRules: IdentityRules;
  /** Merge, erase and export are recorded (actor `admin token`). */
  readonly audit: Pick<AuditLog, 'record'>;
}

const maxWriteBytes = 64 * 1024;

/** The contacts API, mounted under /v1; every route needs the admin token. */
export function createContactRoutes(deps: ContactRouteDeps): OpenAPIHono<AppEnv> {
  const { queries, writes, notes, search, merges } = deps.contacts;
  const { eraser, exporter } = deps.privacy;
  const { cursors } = deps;
  const routes = createApiRouter();
  // Exact paths, not '*': once mounted under /v1, '*' would also guard the ingest routes.
  deps.admin.guard(routes, ['/contacts', '/contacts/*']);
  const sources = { queries, audiences: deps.audiences, computedTraits: deps.computedTraits };
  const readWhole = (found: FoundProfile) => readWholeContact(sources, found);
  // Edits and notes are small (a note is at most 10,000 characters); refuse a large body unread.
  const smallBody = bodyLimit({
    maxSize: maxWriteBytes,
    onError: () => {
      throw new ApiError(413, 'body_too_large', `request body is over the ${maxWriteBytes}-byte limit`);
    },
  });
  routes.use('/contacts', smallBody);
  routes.use('/contacts/*', smallBody);

  routes.openapi(listContactsRoute, async (c) => {
    const { limit, cursor, sort, q } = c.req.valid('query');
    return c.json(await listContacts(queries, cursors, { limit, cursor, sort, q }), 200);
  });

  routes.openapi(searchContactsRoute, async (c) => c.json(await search.search(c.req.valid('json')), 200));

  routes.openapi(getContactRoute, async (c) => {
    return c.json(await readWhole(await findProfile(queries, c.req.valid('param').ref)), 200);
  });

  routes.openapi(contactTimelineRoute, async (c) => {
    const found = await findProfile(queries, c.req.valid('param').ref);
    const { limit, cursor, type, event } = c.req.valid('query');
    return c.json(await readTimeline(queries, cursors, found.row.id, { limit, cursor, type, event }), 200);
  });

  routes.openapi(patchContactRoute, async (c) => {
    const edit = c.req.valid('json');
    if (Object.keys(edit).length === 0) {
      throw new ApiError(400, 'invalid_request', 'body: expected one of lifecycleStage, owner, tags, traits');
    }
    const ref = c.req.valid('param').ref;
    const found = await findProfile(queries, ref);
    if (!(await writes.patch(found.row.id, edit))) {
      throw new ApiError(404, 'contact_not_found', `${ref} was erased while this edit ran`);
    }
    // Looked up again, like GET: a ref naming a merged-away id (even one merged while this edit ran,
    // whose edit went to the survivor) answers the survivor, with mergedFrom.
    return c.json(await readWhole(await findProfile(queries, ref)), 200);
  });

  routes.openapi(createContactRoute, async (c) => {
    const input = c.req.valid('json');
    if (input.email === undefined && input.userId === undefined) {
      throw new ApiError(400, 'invalid_request', 'email, userId: one of them is required');
    }
    for (const field of ['email', 'userId'] as const) {
      const value = input[field];
      const blocked = value === undefined ? undefined : blockedReason(value, deps.identityRules);
      if (blocked) throw new ApiError(400, 'invalid_request', `${field}: not usable as an identifier (${blocked})`);
    }
    const result = await writes.create(input);
    if ('existingId' in result) {
      const existingId = (await queries.profileById(result.existingId))?.public_id ?? '';
      // handleError would drop existingId, so this answer is built here; its code still goes to the log.
      c.set('logFields', { ...c.get('logFields'), error: 'contact_exists' });
      const message = `a contact already holds this email or userId: ${existingId}`;
      return c.json({ error: { code: 'contact_exists' as const, message }, existingId }, 409);
    }
    const created = await queries.profileById(result.created);
    if (!created) throw new Error(`profile ${result.created} vanished once created`);
    return c.json(await readWhole({ row: created, mergedFrom: undefined }), 201);
  });

  routes.openapi(addNoteRoute, async (c) => {
    const found = await findProfile(queries, c.req.valid('param').ref);
    const { body, author } = c.req.valid('json');
    return c.json(await notes.add(found.row.id, body, author), 201);
  });

  routes.openapi(listNotesRoute, async (c) => {
    const found = await findProfile(queries, c.req.valid('param').ref);
    const { limit, cursor } = c.req.valid('query');
    return c.json(await notes.list(found.row.id, { limit, cursor }), 200);
  });

  routes.openapi(editNoteRoute, async (c) => {
    const { ref, noteId } = c.req.valid('param');
    const found = await findProfile(queries, ref);
    const note = await notes.edit(found.row.id, Number(noteId), c.req.valid('json').body);
    if (!note) throw new ApiError(404, 'note_not_found', `contact ${found.row.public_id} holds no note ${noteId}`);
    return c.json(note, 200);
  });

  routes.openapi(mergeContactsRoute, async (c) => {
    const { primary, secondary } = c.req.valid('json');
    const survivor = await findNamed(queries, 'primary', primary);
    const absorbed = await findNamed(queries, 'secondary', secondary);
    if (survivor.row.id === absorbed.row.id) {
      throw new ApiError(
        400,
        'invalid_request',
        `secondary: names the same contact as primary (${survivor.row.public_id})`,
      );
    }
    const outcome = await merges.merge(survivor.row.id, absorbed.row.id);
    if (outcome === 'over_caps') {
      throw new ApiError(
        409,
        'merge_refused',
        'secondary: one contact holding both would pass the merge or identifier cap of the identity rules',
      );
    }
    if (outcome === 'changed') {
      throw new ApiError(
        409,
        'contact_changed',
        'primary or secondary was merged into another contact or erased while this merge ran; look them up again',
      );
    }
    await auditFromApi(deps.audit, {
      action: 'contact.merged',
      target: survivor.row.public_id,
      detail: { absorbed: absorbed.row.public_id },
    });
    return c.json(await readWhole(await findProfile(queries, survivor.row.public_id)), 200);
  });

  routes.openapi(eraseContactRoute, async (c) => {
    const found = await findProfile(queries, c.req.valid('param').ref);
    const suppress = c.req.valid('query').suppress === 'true';
    const audited = (detail: Record<string, unknown>) =>
      auditFromApi(deps.audit, { action: 'contact.erased', target: found.row.public_id, detail });
    // Not final still erased the rows (only old pages linger in the write-ahead log): audited too, as the UI does.
    const summary = await eraseOrExplain(eraser, found.row.id, suppress, () => audited({ suppress, final: false }));
    await audited({ suppress });
    const erasedAt = new Date(summary.erasedAt).toISOString();
    return c.json({ ...summary, id: found.row.public_id, erasedAt }, 200);
  });

  routes.openapi(exportContactRoute, async (c) => {
    const found = await findProfile(queries, c.req.valid('param').ref);
    const contact = await readWhole({ row: found.row, mergedFrom: undefined });
    const exported = await exporter.exportContact(found.row.id, contact, deps.now());
    await auditFromApi(deps.audit, { action: 'contact.exported', target: found.row.public_id, detail: null });
    c.header('Content-Disposition', `attachment; filename="contact-${found.row.public_id}.json"`);
    return c.json(exported, 200);
  });

  return routes;
}

/** Erases; an erasure whose bytes may still linger in the write-ahead log is a 503, never a 200. */
async function eraseOrExplain(
  eraser: ContactEraser,
  profileId: number,
  suppress: boolean,
  onNotFinal: () => Promise<void>,
) {
  try {
    return await eraser.erase(profileId, { suppress });
  } catch (error) {
    if (!(error instanceof ErasureNotFinal)) throw error;
    await onNotFinal();
    throw new ApiError(503, 'erasure_not_final', error.message);
  }
}

/** findProfile, with the body field that named the contact in the 404. */
async function findNamed(queries: ContactQueries, field: string, ref: string): Promise<FoundProfile> {
  try {
    return await findProfile(queries, ref);
  } catch (error) {
    if (error instanceof ApiError) throw new ApiError(error.status, error.code, `${field}: ${error.message}`);
    throw error;
  }
}
