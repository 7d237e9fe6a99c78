import type { OpenAPIHono } from '@hono/zod-openapi';
import { withoutUndefined } from '@weft/core';
import type { AdminGuard } from '../auth/admin-guard.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { auditFromApi } from '../users/audit-actors.js';
import type { AuditLog } from '../users/user-store.js';
import { createKeyRoute, listKeysRoute, patchKeyRoute, revokeKeyRoute } from './personalize-specs.js';
import type { PublishableKeyStore } from './personalize-store.js';
import { checkPolicy, type PersonalizePolicy, type PublishableKey } from './publishable-key.js';

export interface PublishableKeyRouteDeps {
  readonly keys: PublishableKeyStore;
  readonly admin: AdminGuard;
  /** Create, update and revoke are recorded (actor `admin token`). */
  readonly audit: Pick<AuditLog, 'record'>;
}

/** Publishable keys over the admin API, mounted under /v1 (the CLI's `keys create --publishable` does the same). */
export function createPublishableKeyRoutes(deps: PublishableKeyRouteDeps): OpenAPIHono<AppEnv> {
  const { keys } = deps;
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/publishable-keys', '/publishable-keys/*']);
  const checked = (input: Partial<Record<keyof PersonalizePolicy, unknown>>, base?: PersonalizePolicy) => {
    const check = checkPolicy({ ...base, ...withoutUndefined(input) });
    if (!check.ok) throw new ApiError(400, 'invalid_request', check.message);
    return check.policy;
  };
  const notFound = (id: string) => new ApiError(404, 'publishable_key_not_found', `no publishable key has id ${id}`);
  const audited = (action: string, id: string) =>
    auditFromApi(deps.audit, { action, target: id, detail: { kind: 'publishable_key' } });

  routes.openapi(listKeysRoute, async (c) => c.json({ data: (await keys.list()).map(toView) }, 200));

  routes.openapi(createKeyRoute, async (c) => {
    const { name, ...policy } = c.req.valid('json');
    const key = await keys.create(name, checked(policy));
    await audited('key.created', key.id);
    return c.json(toView(key), 201);
  });

  routes.openapi(patchKeyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { name, ...policy } = c.req.valid('json');
    const current = await keys.get(id);
    if (!current) throw notFound(id);
    const updated = await keys.update(id, { ...(name ? { name } : {}), policy: checked(policy, current.policy) });
    if (!updated) throw notFound(id);
    await audited('key.updated', id);
    return c.json(toView(updated), 200);
  });

  routes.openapi(revokeKeyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const current = await keys.get(id);
    if (!current) throw notFound(id);
    await keys.revoke(id);
    await audited('key.revoked', id);
    return c.body(null, 204);
  });

  return routes;
}

export function toView(key: PublishableKey) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: key.id,
    key: key.key,
    name: key.name,
    ...key.policy,
    traits: [...key.policy.traits],
    computedTraits: [...key.policy.computedTraits],
    audiences: [...key.policy.audiences],
    origins: [...key.policy.origins],
    createdAt: iso(key.createdAt),
    updatedAt: iso(key.updatedAt),
    revokedAt: key.revokedAt === null ? null : iso(key.revokedAt),
  };
}
