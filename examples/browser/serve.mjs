// Serves this folder, plus the SDK's script-tag build, on http://127.0.0.1:8080 (PORT to change).
// Node only, no dependencies: `node examples/browser/serve.mjs`.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';

const port = Number(process.env.PORT ?? 8080);
const files = {
  '/': new URL('./index.html', import.meta.url),
  '/index.html': new URL('./index.html', import.meta.url),
  '/weft.min.js': new URL('../../packages/browser-sdk/dist/weft.min.js', import.meta.url),
};
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

createServer(async (req, res) => {
  const file = files[new URL(req.url ?? '/', 'http://x').pathname];
  if (!file) return void res.writeHead(404).end('not found');
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[extname(file.pathname)], 'Cache-Control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end(`${file.pathname} is missing: run \`pnpm -r build\` first`);
  }
}).listen(port, '127.0.0.1', () => console.log(`example page: http://127.0.0.1:${port}/`));
