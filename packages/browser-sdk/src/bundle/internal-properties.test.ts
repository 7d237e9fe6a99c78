// dist/weft.min.js shortens the property names in scripts/internal-properties.json. That is safe
// only while each is used by the files listed for it, on objects that never leave the bundle: a
// name that also named a stored record's field, a report's or an option would change on the wire.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const listed = JSON.parse(
  readFileSync(join(repoRoot, 'packages/browser-sdk/scripts/internal-properties.json'), 'utf8'),
) as Record<string, string[]>;

/** What the bundle is built from: the browser package's and core's sources, without tests and test kits. */
function bundledSources(): { path: string; code: string }[] {
  return ['packages/core/src', 'packages/browser-sdk/src'].flatMap((dir) =>
    readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !/\.(test|contract|test-support)\.ts$/.test(file))
      .map((file) => {
        const path = relative(repoRoot, join(repoRoot, dir, file));
        // Comments may name anything.
        const code = readFileSync(join(repoRoot, path), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        return { path, code };
      }),
  );
}

describe('property names the bundle shortens', () => {
  const sources = bundledSources();
  it.each(Object.entries(listed))('%s appears only in the files listed for it', (name, files) => {
    const users = sources
      .filter((source) => new RegExp(`\\b${name}\\b`).test(source.code))
      .map((source) => source.path);
    expect(users.filter((path) => !files.includes(path))).toEqual([]);
  });
});
