import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { uiCss } from './assets/ui-css.js';
import { uiScript } from './assets/ui-script.js';

const assets = {
  'app.css': { body: uiCss, type: 'text/css; charset=utf-8' },
  'app.js': { body: uiScript, type: 'text/javascript; charset=utf-8' },
} as const;

/** A version per asset, in its URL, so that it can be cached for a year and still change with a release. */
export const assetVersion = createHash('sha256')
  .update(uiCss + uiScript)
  .digest('base64url')
  .slice(0, 10);

export function assetUrl(name: keyof typeof assets): string {
  return `/ui/assets/${name}?v=${assetVersion}`;
}

/** GET /ui/assets/{app.css,app.js}: served by the server itself, never from a CDN. */
export function createAssetRoutes(): Hono {
  const routes = new Hono();
  routes.get('/assets/:name', (c) => {
    const asset = assets[c.req.param('name') as keyof typeof assets];
    if (!asset) return c.text('no such asset', 404);
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(asset.body);
  });
  return routes;
}
