import type { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import type { AppEnv } from '../http/app-env.js';
import { requireAdminToken } from './admin-auth.js';
import type { CredentialStore } from './credential-store.js';

/** Puts the admin routes of a router behind the admin token, and their CORS behind configuration. */
export interface AdminGuard {
  /** Guards each path pattern (`/contacts`, `/contacts/*`) of `routes`. */
  guard(routes: OpenAPIHono<AppEnv>, paths: readonly string[]): void;
}

/**
 * Admin routes send no CORS headers at all unless origins are configured (WEFT_ADMIN_ORIGINS):
 * a page on any other site then gets nothing readable from them, even from a browser that holds
 * a token. With origins, the preflight answers for them alone, with the methods admin routes use.
 * The preflight is answered before the token check, as browsers send it without credentials.
 */
export function createAdminGuard(credentials: CredentialStore, allowedOrigins: readonly string[] = []): AdminGuard {
  const adminOnly = requireAdminToken(credentials);
  const adminCors =
    allowedOrigins.length === 0
      ? undefined
      : cors({
          origin: [...allowedOrigins],
          allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
          allowHeaders: ['Authorization', 'Content-Type'],
          maxAge: 600,
        });
  return {
    guard(routes, paths) {
      for (const path of paths) {
        if (adminCors) routes.use(path, adminCors);
        routes.use(path, adminOnly);
      }
    },
  };
}
