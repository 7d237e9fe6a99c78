import { type Context, Hono } from 'hono';
import type { CredentialStore } from '../../auth/credential-store.js';
import type { PublishableKeyStore } from '../../personalize/personalize-store.js';
import { checkKeyName, checkPolicy } from '../../personalize/publishable-key.js';
import type { AuditLog } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { formText } from '../form-fields.js';
import { requirePermission } from '../permission.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { KeyCreatedPage } from './key-created-page.js';
import { emptyPublishableForm, listOf, type PublishableKeyForm } from './key-forms.js';
import { KeysPage } from './keys-page.js';

export interface AdminKeyDeps {
  readonly credentials: CredentialStore;
  readonly publishable: PublishableKeyStore;
  readonly audit: AuditLog;
}

/** /ui/admin/keys: write keys, admin tokens and publishable keys (admins only). */
export function createAdminKeyRoutes(deps: AdminKeyDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  routes.use('/admin/keys', requirePermission('administer'));
  routes.use('/admin/keys/*', requirePermission('administer'));

  const showKeys = async (c: Context<UiEnv>, refused?: { error: string; form: PublishableKeyForm }) =>
    renderPage(
      c,
      <KeysPage
        title="Keys"
        section="admin"
        viewer={viewerOf(c)}
        notice={refused ? undefined : noticeOf(c)}
        credentials={await deps.credentials.list()}
        publishable={await deps.publishable.list()}
        error={refused?.error}
        form={refused?.form ?? emptyPublishableForm}
      />,
      refused ? 400 : 200,
    );

  routes.get('/admin/keys', (c) => showKeys(c));

  routes.post('/admin/keys/credentials', async (c) => {
    const form = await c.req.parseBody();
    const kind = formText(form, 'kind');
    if (kind !== 'client' && kind !== 'server' && kind !== 'admin_token') {
      throw new UiError(400, 'kind: a client or server write key, or an admin token');
    }
    const source = formText(form, 'source', 100) || undefined;
    const { credential, secret } =
      kind === 'admin_token'
        ? await deps.credentials.create('admin_token')
        : await deps.credentials.create('write_key', { source, writeKeyKind: kind });
    await auditFromUi(deps.audit, c, {
      action: 'key.created',
      target: credential.id,
      detail: { kind: credential.kind, writeKeyKind: credential.writeKeyKind, source: credential.source },
    });
    const description =
      kind === 'admin_token'
        ? `admin token ${credential.id}`
        : `${kind} write key ${credential.id} (source ${credential.source})`;
    // The secret is in this answer only: no browser or proxy may keep a copy.
    c.header('Cache-Control', 'no-store');
    return renderPage(
      c,
      <KeyCreatedPage
        title="Key created"
        section="admin"
        viewer={viewerOf(c)}
        description={description}
        secret={secret}
      />,
    );
  });

  routes.post('/admin/keys/credentials/:id/revoke', async (c) => {
    const id = c.req.param('id');
    const credential = (await deps.credentials.list()).find((candidate) => candidate.id === id);
    if (!credential || !(await deps.credentials.revoke(id))) throw new UiError(404, 'No active key has this id.');
    await auditFromUi(deps.audit, c, { action: 'key.revoked', target: id, detail: { kind: credential.kind } });
    return redirectDone(c, '/ui/admin/keys', 'key_revoked');
  });

  routes.post('/admin/keys/publishable', async (c) => {
    const body = await c.req.parseBody();
    const form: PublishableKeyForm = {
      name: formText(body, 'name', 200),
      origins: formText(body, 'origins', 20_000),
      traits: formText(body, 'traits', 20_000),
      computedTraits: formText(body, 'computedTraits', 20_000),
      audiences: formText(body, 'audiences', 20_000),
    };
    // The same checks as the admin API's and the CLI's (personalize/publishable-key.ts).
    const check = checkPolicy({
      origins: listOf(form.origins),
      traits: listOf(form.traits),
      computedTraits: listOf(form.computedTraits),
      audiences: listOf(form.audiences),
    });
    const problem = checkKeyName(form.name) ?? (check.ok ? undefined : check.message);
    if (problem || !check.ok) return showKeys(c, { error: problem ?? 'invalid key', form });
    const key = await deps.publishable.create(form.name, check.policy);
    await auditFromUi(deps.audit, c, {
      action: 'key.created',
      target: key.id,
      detail: { kind: 'publishable_key', name: key.name },
    });
    return redirectDone(c, '/ui/admin/keys', 'key_created');
  });

  routes.post('/admin/keys/publishable/:id/revoke', async (c) => {
    const id = c.req.param('id');
    const key = await deps.publishable.get(id);
    if (!key || key.revokedAt !== null || !(await deps.publishable.revoke(id))) {
      throw new UiError(404, 'No active publishable key has this id.');
    }
    await auditFromUi(deps.audit, c, { action: 'key.revoked', target: id, detail: { kind: 'publishable_key' } });
    return redirectDone(c, '/ui/admin/keys', 'key_revoked');
  });

  return routes;
}
