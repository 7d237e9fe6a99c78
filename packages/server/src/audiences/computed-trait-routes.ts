import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { refusingProblems } from './audience-routes.js';
import {
  type ComputedTraitView,
  createComputedTraitRoute,
  deleteComputedTraitRoute,
  getComputedTraitRoute,
  listComputedTraitsRoute,
  patchComputedTraitRoute,
} from './computed-trait-specs.js';
import type { ComputedTraitRecord, ComputedTraitStore } from './computed-trait-store.js';
import { RuleProblem } from './parse-rule.js';

export interface ComputedTraitRouteDeps {
  readonly computedTraits: ComputedTraitStore;
  readonly admin: AdminGuard;
  /** Told when a definition changed, so that its backfill starts at once (audience-worker.ts). */
  readonly onDefinitionChanged?: () => void;
}

/** The computed traits API, mounted under /v1; every route needs the admin token. */
export function createComputedTraitRoutes(deps: ComputedTraitRouteDeps): OpenAPIHono<AppEnv> {
  const { computedTraits } = deps;
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/computed-traits', '/computed-traits/*']);
  const notFound = (id: string) => new ApiError(404, 'computed_trait_not_found', `no computed trait has id ${id}`);

  routes.openapi(listComputedTraitsRoute, async (c) =>
    c.json({ data: (await computedTraits.list()).map(toView) }, 200),
  );

  routes.openapi(createComputedTraitRoute, async (c) => {
    const trait = await refusingProblems(() => computedTraits.create(c.req.valid('json')));
    deps.onDefinitionChanged?.();
    return c.json(toView(trait), 201);
  });

  routes.openapi(getComputedTraitRoute, async (c) => {
    const { id } = c.req.valid('param');
    const trait = await computedTraits.get(id);
    if (!trait) throw notFound(id);
    return c.json(toView(trait), 200);
  });

  routes.openapi(patchComputedTraitRoute, async (c) => {
    const { id } = c.req.valid('param');
    const trait = await refusingProblems(() => computedTraits.update(id, c.req.valid('json')));
    if (!trait) throw notFound(id);
    deps.onDefinitionChanged?.();
    return c.json(toView(trait), 200);
  });

  routes.openapi(deleteComputedTraitRoute, async (c) => {
    const { id } = c.req.valid('param');
    let removed: boolean;
    try {
      removed = await computedTraits.remove(id);
    } catch (error) {
      if (error instanceof RuleProblem) throw new ApiError(409, 'computed_trait_in_use', error.problem);
      throw error;
    }
    if (!removed) throw notFound(id);
    return c.body(null, 204);
  });

  return routes;
}

function toView(trait: ComputedTraitRecord): ComputedTraitView {
  return {
    id: trait.id,
    name: trait.name,
    description: trait.description,
    calculation: trait.calculation,
    state: trait.phase,
    progress: trait.progress,
    createdAt: new Date(trait.createdAt).toISOString(),
    updatedAt: new Date(trait.updatedAt).toISOString(),
  };
}
