import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from './static-server.js';

let dir: string;
let server: StaticServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-static-'));
  writeFileSync(join(dir, 'page.html'), '<p>hi</p>');
  writeFileSync(join(dir, 'app.js'), 'window.x = 1;');
  server = await startStaticServer({ '/pages/': dir }, { 'Cross-Origin-Opener-Policy': 'same-origin' });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the static server for browser test pages', () => {
  it('serves a mounted file with its content type, the extra headers and no caching', async () => {
    const res = await fetch(`${server.url()}/pages/app.js?cache=bust`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(await res.text()).toBe('window.x = 1;');
  });

  it.each(['/pages/missing.html', '/other/page.html', '/pages/..%2f..%2fetc%2fpasswd', '/pages/'])(
    'answers 404 for %s',
    async (path) => {
      expect((await fetch(`${server.url()}${path}`)).status).toBe(404);
    },
  );
});
