import { fileURLToPath } from 'node:url';

/**
 * Node arguments that run a TypeScript script (ESM) with @weft/node and @weft/core resolved to
 * their sources, so child-process tests need no build.
 */
export const sourceNodeArgs = [
  '--import',
  'tsx',
  '--import',
  fileURLToPath(new URL('./node-sdk-source-hooks.ts', import.meta.url)),
];
