// Lets a child process (or a bench script) import @weft/node, @weft/core and @weft/server from source, with no build first; loaded
// with `--import` (see node-sdk-source.ts). Vitest's aliases do the same inside the test runner;
// a child process has only Node's resolver.
import { register } from 'node:module';

const sources = {
  '@weft/node': new URL('../../packages/node-sdk/src/index.ts', import.meta.url).href,
  '@weft/core': new URL('../../packages/core/src/index.ts', import.meta.url).href,
  '@weft/server': new URL('../../packages/server/src/index.ts', import.meta.url).href,
};

const hooks = `
const sources = ${JSON.stringify(sources)};
export async function resolve(specifier, context, next) {
  return next(Object.hasOwn(sources, specifier) ? sources[specifier] : specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
