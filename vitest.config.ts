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
 * Route suites that run a second time on PostgreSQL (their test app comes from openTestApp,
 * packages/server/src/testing/test-app.ts, which reads WEFT_TEST_STORE). Every suite runs on
 * SQLite; the store's contract suites and differential tests run on PostgreSQL by themselves.
 */
const postgresMatrix = [
  'packages/server/src/audiences/audience-routes.test.ts',
  'packages/server/src/audiences/computed-traits.test.ts',
  'packages/server/src/contacts/contact-export.test.ts',
  'packages/server/src/imports/import-routes.test.ts',
  'packages/server/src/ingest/unstorable-text.test.ts',
  'packages/server/src/changes/change-pruner.test.ts',
  'packages/server/src/companies/company-routes.test.ts',
  'packages/server/src/imports/import-audit.test.ts',
  'packages/server/src/contacts/contact-list.test.ts',
  'packages/server/src/contacts/contact-search.test.ts',
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    restoreMocks: true,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: postgresMatrix, env: { WEFT_TEST_STORE: 'postgres' } } },
    ],
  },
});
