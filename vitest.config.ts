import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Workspace packages resolve to their src/, so tests never need a build first.
const sourceAliases = readdirSync(packagesDir)
  .filter((dir) => existsSync(`${packagesDir}${dir}/package.json`))
  .map((dir) => {
    const { name } = JSON.parse(readFileSync(`${packagesDir}${dir}/package.json`, 'utf8')) as { name: string };
    return { find: new RegExp(`^${name}$`), replacement: `${packagesDir}${dir}/src/index.ts` };
  });

/**
 * Suites that run a second time on PostgreSQL: those that open their database through an opener
 * that builds it on the engine WEFT_TEST_STORE names. Route suites: openTestApp
 * (packages/server/src/testing/test-app.ts) and the kits built on it, every `open…TestApp`.
 * End-to-end suites: openTestDatabase (test/support/test-database.ts) and what starts a server
 * on it: startInProcessServer, startUiSuite. A suite joins the matrix by using one. Every suite
 * runs on SQLite; the store's contract suites and differential tests run on PostgreSQL by themselves.
 *
 * The browser SDK suites (test/browser, startBrowserSuite) run on SQLite only: they test the SDKs
 * in Chromium, and the server's ingest under them is the one the node SDK, crash and hostile
 * suites run on both engines. Two Chromiums at once on a 2-core CI box made them flaky and added
 * two minutes. `WEFT_TEST_STORE=postgres pnpm vitest run --project sqlite test/browser` runs them
 * on PostgreSQL (they passed there).
 */
const engineOpener = /\b(open[A-Za-z]*TestApp|openTestDatabase|startInProcessServer|startUiSuite)\(/;
const repoDir = fileURLToPath(new URL('./', import.meta.url));
const suiteDirs = [...readdirSync(packagesDir).map((dir) => `packages/${dir}/src`), 'test'].filter((dir) =>
  existsSync(`${repoDir}${dir}`),
);
const postgresMatrix = suiteDirs.flatMap((dir) =>
  readdirSync(`${repoDir}${dir}`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !file.includes('node_modules'))
    .map((file) => `${dir}/${file}`)
    .filter((file) => engineOpener.test(readFileSync(`${repoDir}${file}`, 'utf8'))),
);

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    restoreMocks: true,
    // Both projects share the workers of a 2-core CI box: a test that takes 2 s alone can take 6.
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: postgresMatrix, env: { WEFT_TEST_STORE: 'postgres' } } },
    ],
  },
});
