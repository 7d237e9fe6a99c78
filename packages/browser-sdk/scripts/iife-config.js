// The script-tag build: everything bundled into dist/weft.min.js, which sets `window.weft`.

import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import internalProperties from './internal-properties.json' with { type: 'json' };

// Property names that only the bundle's own modules use, on objects that never leave it (core's
// in-memory queue, flush waiters and wake timer; the browser's claim result): terser shortens them
// (-124 B gzipped). Each is listed with the files that may use it; src/bundle/internal-properties.test.ts
// fails when another file does, since a stored, sent or reported field must keep its name.
const internalNames = new RegExp(`^(${Object.keys(internalProperties).join('|')})$`);

// Property names are kept (`quote_keys` off), but for the internal ones above; error messages stay as written.
export const TERSER_OPTIONS = {
  ecma: 2020,
  toplevel: true,
  // The IIFE is strict code (rollup adds "use strict"): -9 B.
  module: true,
  // Measured on the gzipped bundle: inline: 1 (only simple functions) and arrows: false (object
  // methods stay methods) -40 B, with 3 passes (12 B less than 2); re-measured after the engine
  // parts: hoist_funs off -11 B (it had saved 30 B before), sequences off -12 B more.
  // These only choose among safe rewrites.
  compress: {
    passes: 3,
    inline: 1,
    arrows: false,
    sequences: false,
    pure_getters: true,
    keep_fargs: false,
    unsafe_arrows: true,
    unsafe_methods: true,
  },
  mangle: { properties: { regex: internalNames } },
  format: { comments: false },
};

// Core's UUIDv7 formatter (a hex table and a cached time part, for Node's speed), swapped for a
// shorter one with the same output: -53 B gzipped.
const uuidFormatterStandIn = {
  name: 'uuid-formatter-stand-in',
  resolveId: (id, importer) =>
    id === './uuid-v7.js' && importer?.endsWith('/core/src/event/message-id.ts')
      ? fileURLToPath(new URL('../src/bundle/uuid-v7.ts', import.meta.url))
      : null,
};

// Core's queue (cursors, O(1) per call for Node's 250,000 events) swapped for one that walks its
// Map from the head (O(events in flight) per call, enough for the browser's 1,000), with the same
// behaviour (both pass core's queue.contract.ts): -145 B gzipped.
const queueStandIn = {
  name: 'queue-stand-in',
  resolveId: (id, importer) =>
    id === '../queue/queue.js' && importer?.endsWith('/core/src/delivery/delivery-engine.ts')
      ? fileURLToPath(new URL('../src/bundle/compact-queue.ts', import.meta.url))
      : null,
};

export function iifeConfig({ minify = true } = {}) {
  return {
    input: 'src/script-tag.ts',
    plugins: [
      uuidFormatterStandIn,
      queueStandIn,
      nodeResolve({ browser: true }),
      typescript({
        tsconfig: './tsconfig.json',
        exclude: ['../*/src/**/*.test.ts', '../*/src/**/*.contract.ts', '../*/src/**/*.test-support.ts'],
        compilerOptions: { declaration: false, sourceMap: false, noEmit: false },
      }),
      ...(minify ? [terser(TERSER_OPTIONS)] : []),
    ],
    output: { file: 'dist/weft.min.js', format: 'iife' },
  };
}

/** dist/weft.personalize.min.js: personalization for the script tag, loaded after weft.min.js. */
export function personalizeIifeConfig({ minify = true } = {}) {
  return {
    input: 'src/personalize/script-tag.ts',
    plugins: [
      nodeResolve({ browser: true }),
      typescript({
        tsconfig: './tsconfig.json',
        exclude: ['../*/src/**/*.test.ts', '../*/src/**/*.contract.ts', '../*/src/**/*.test-support.ts'],
        compilerOptions: { declaration: false, sourceMap: false, noEmit: false },
      }),
      ...(minify ? [terser({ ...TERSER_OPTIONS, mangle: true })] : []),
    ],
    output: { file: 'dist/weft.personalize.min.js', format: 'iife' },
  };
}
