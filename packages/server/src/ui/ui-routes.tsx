import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../http/api-error.js';
import type { ImportJobs } from '../imports/import-jobs.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../storage/store.js';
import { createPasswordGate } from '../users/password-gate.js';
import { createAccountRoutes } from './account/account-routes.js';
import { createAdminAuditRoutes } from './admin/audit-routes.js';
import { createAdminKeyRoutes } from './admin/key-routes.js';
import { createAdminUserRoutes } from './admin/user-routes.js';
import { createAssetRoutes } from './asset-routes.js';
import { createAudiencePages } from './audiences/audience-pages.js';
import { createCompanyPages } from './companies/company-pages.js';
import { createContactPageRoutes } from './contact/contact-page-routes.js';
import { createContactsListRoutes } from './contacts/contacts-list-routes.js';
import { requireSameOrigin } from './csrf.js';
import { createImportPages } from './imports/import-pages.js';
import { importUploadLimit } from './imports/upload-limit.js';
import { ErrorBox, Layout } from './layout.js';
import { createLiveRoutes } from './live/live-routes.js';
import { createPageHub } from './live/page-hub.js';
import { createLoginRoutes, createLogoutRoutes } from './login-routes.js';
import { createLoginThrottle } from './login-throttle.js';
import { refuseNulText } from './nul-text-guard.js';
import { requirePermission } from './permission.js';
import { renderPage } from './render-page.js';
import { securityHeaders } from './security-headers.js';
import { requireCsrfToken, requireSession } from './session-auth.js';
import { readSessionCookie } from './session-cookie.js';
import type { UiEnv } from './ui-env.js';
import { UiError } from './ui-error.js';
import type { UiSettings } from './ui-settings.js';

export interface UiDeps {
  readonly store: Store;
  readonly settings: UiSettings;
  readonly publicUrl: string;
  readonly now: () => number;
  readonly logger: Logger;
  /** Aborted when the server stops: live pages' streams end. */
  readonly stopping?: AbortSignal | undefined;
  /** The API's import runner too: one import at a time, whichever started it. */
  readonly importJobs: ImportJobs;
  /** Starts the audience backfill at once after a definition is saved (app.ts). */
  readonly onAudienceDefinitionChanged?: (() => void) | undefined;
}

// Forms are small; the CSV upload alone has its own limit (ui/imports/upload-limit.ts).
const maxFormBytes = 256 * 1024;
const publicPaths = /^\/ui\/(login|assets\/[^/]+)$/;

/** The web UI, mounted at /ui: login, then pages behind a session, each form behind the Origin and CSRF checks. */
export function createUiRoutes(deps: UiDeps): Hono<UiEnv> {
  const { store, settings } = deps;
  const ui = new Hono<UiEnv>();
  ui.use('*', securityHeaders());
  ui.route('/', createAssetRoutes());
  ui.use('*', requireSameOrigin(deps.publicUrl));
  const formLimit = bodyLimit({
    maxSize: maxFormBytes,
    onError: () => {
      throw new UiError(413, `This form sent more than ${maxFormBytes / 1024} KB.`);
    },
  });
  ui.use('*', async (c, next) =>
    c.req.path === '/ui/imports/preview' ? importUploadLimit(c, next) : formLimit(c, next),
  );
  ui.use('*', refuseNulText());
  // One count of failed password checks: the login form's, and the account page's current password.
  const throttle = createLoginThrottle(deps.now);
  const passwordGate = createPasswordGate();
  ui.route('/', createLoginRoutes({ users: store.users, settings, throttle, passwordGate }));
  const session = requireSession(store.users.sessions, settings);
  ui.use('*', async (c, next) => (publicPaths.test(c.req.path) ? next() : session(c, next)));
  // Before the CSRF check reads the body: a viewer's 50 MB upload is refused unread.
  ui.use('/imports/preview', requirePermission('edit'));
  const csrfToken = requireCsrfToken();
  ui.use('*', async (c, next) => (publicPaths.test(c.req.path) ? next() : csrfToken(c, next)));
  ui.get('/', (c) => c.redirect('/ui/contacts', 303));
  ui.route('/', createLogoutRoutes({ users: store.users, settings }));
  ui.route(
    '/',
    createLiveRoutes({
      hub: createPageHub(store.changes),
      stopping: deps.stopping,
      isSessionLive: async (c) => {
        const secret = readSessionCookie(c, settings);
        const resumed = secret && (await store.users.sessions.resume(secret, settings.sessionTiming, { isUse: false }));
        return Boolean(resumed);
      },
    }),
  );
  ui.route(
    '/',
    createContactsListRoutes({
      contacts: store.contacts,
      audiences: store.audiences,
      cursors: store.cursors,
      users: store.users,
    }),
  );
  // After the list's routes: /contacts/export.csv is theirs, not a contact id.
  ui.route(
    '/',
    createContactPageRoutes({
      contacts: store.contacts,
      audiences: store.audiences,
      computedTraits: store.computedTraits,
      privacy: store.privacy,
      cursors: store.cursors,
      users: store.users,
      now: deps.now,
    }),
  );
  ui.route('/', createCompanyPages({ companies: store.companies, cursors: store.cursors }));
  ui.route(
    '/',
    createAudiencePages({
      audiences: store.audiences,
      contacts: store.contacts.queries,
      cursors: store.cursors,
      onDefinitionChanged: deps.onAudienceDefinitionChanged,
    }),
  );
  ui.route('/', createImportPages({ jobs: deps.importJobs, audit: store.users.audit, now: deps.now }));
  ui.route('/', createAdminUserRoutes({ users: store.users, sessionTiming: settings.sessionTiming, now: deps.now }));
  ui.route(
    '/',
    createAdminKeyRoutes({
      credentials: store.credentials,
      publishable: store.personalize.keys,
      audit: store.users.audit,
    }),
  );
  ui.route('/', createAdminAuditRoutes({ audit: store.users.audit }));
  ui.route('/', createAccountRoutes({ users: store.users, settings, now: deps.now, throttle, passwordGate }));
  // Last: any /ui address no page above answered. (A mounted app's notFound is not used by its parent.)
  ui.all('*', (c) => renderError(c, new UiError(404, 'There is no page at this address.')));
  ui.onError((error, c) => renderError(c, error, deps.logger));
  return ui;
}

async function renderError(c: Context<UiEnv>, error: Error, logger?: Logger): Promise<Response> {
  const known = error instanceof UiError || error instanceof ApiError;
  if (!known)
    logger?.error({
      msg: 'unhandled error',
      method: c.req.method,
      path: c.req.routePath,
      error: String(error.stack ?? error),
    });
  const status = known ? error.status : 500;
  const message = known ? error.message : 'Something went wrong on the server. Reload the page to try again.';
  const user = c.get('user');
  const session = c.get('session');
  return renderPage(
    c,
    <Layout title="Error" viewer={user && session ? { user, session } : undefined}>
      <h1>{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
      <ErrorBox message={message} />
      <p>
        <a href="/ui/contacts">Back to contacts</a>
      </p>
    </Layout>,
    status as 400,
  );
}
