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

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
  },
});
