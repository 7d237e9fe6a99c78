import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import type { ContactQueries } from '../contacts/contact-store.js';
import type { CursorCodec } from '../contacts/cursor.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { contactsByProfileId, memberPage } from './audience-members.js';
import {
  type AudienceView,
  audienceMembersRoute,
  createAudienceRoute,
  deleteAudienceRoute,
  getAudienceRoute,
  listAudiencesRoute,
  patchAudienceRoute,
  previewAudienceRoute,
} from './audience-specs.js';
import type { AudienceRecord, AudienceStore } from './audience-store.js';
import { RuleProblem } from './parse-rule.js';

export interface AudienceRouteDeps {
  readonly audiences: AudienceStore;
  readonly contacts: ContactQueries;
  readonly cursors: CursorCodec;
  readonly admin: AdminGuard;
  /** Told when a definition changed, so that its backfill starts at once (audience-worker.ts). */
  readonly onDefinitionChanged?: () => void;
}

/** The audiences API, mounted under /v1; every route needs the admin token. */
export function createAudienceRoutes(deps: AudienceRouteDeps): OpenAPIHono<AppEnv> {
  const { audiences, contacts, cursors } = deps;
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/audiences', '/audiences/*']);
  const found = async (id: string) => {
    const audience = await audiences.get(id);
    if (!audience) throw new ApiError(404, 'audience_not_found', `no audience has id ${id}`);
    return audience;
  };

  routes.openapi(listAudiencesRoute, async (c) => c.json({ data: (await audiences.list()).map(toView) }, 200));

  routes.openapi(createAudienceRoute, async (c) => {
    const audience = await refusingProblems(() => audiences.create(c.req.valid('json')));
    deps.onDefinitionChanged?.();
    return c.json(toView(audience), 201);
  });

  routes.openapi(getAudienceRoute, async (c) => c.json(toView(await found(c.req.valid('param').id)), 200));

  routes.openapi(patchAudienceRoute, async (c) => {
    const { id } = c.req.valid('param');
    const audience = await refusingProblems(() => audiences.update(id, c.req.valid('json')));
    if (!audience) throw new ApiError(404, 'audience_not_found', `no audience has id ${id}`);
    deps.onDefinitionChanged?.();
    return c.json(toView(audience), 200);
  });

  routes.openapi(deleteAudienceRoute, async (c) => {
    const { id } = c.req.valid('param');
    let removed: boolean;
    try {
      removed = await audiences.remove(id);
    } catch (error) {
      if (error instanceof RuleProblem) throw new ApiError(409, 'audience_in_use', error.problem);
      throw error;
    }
    if (!removed) throw new ApiError(404, 'audience_not_found', `no audience has id ${id}`);
    return c.body(null, 204);
  });

  routes.openapi(audienceMembersRoute, async (c) => {
    const audience = await found(c.req.valid('param').id);
    const page = await memberPage({ audiences, contacts, cursors }, audience.id, c.req.valid('query'));
    return c.json(
      {
        data: page.data.map((member) => ({
          contact: member.contact,
          enteredAt: iso(member.enteredAt),
          backfill: member.isBackfill,
        })),
        nextCursor: page.nextCursor,
        partial: audience.phase !== 'ready',
      },
      200,
    );
  });

  routes.openapi(previewAudienceRoute, async (c) => {
    const preview = await refusingProblems(() => audiences.preview(c.req.valid('json').rule));
    const shown = await contactsByProfileId(contacts, preview.sample);
    return c.json({ size: preview.size, sample: preview.sample.flatMap((id) => shown.get(id) ?? []) }, 200);
  });

  return routes;
}

/** A rule that cannot be used answers 400 naming its field. */
export async function refusingProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RuleProblem) throw new ApiError(400, 'invalid_rule', error.message);
    throw error;
  }
}

function toView(audience: AudienceRecord): AudienceView {
  return {
    id: audience.id,
    name: audience.name,
    description: audience.description,
    rule: audience.rule,
    state: audience.phase,
    progress: audience.progress,
    memberCount: audience.memberCount,
    createdAt: iso(audience.createdAt),
    updatedAt: iso(audience.updatedAt),
  };
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
