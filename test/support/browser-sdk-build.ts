import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const browserSdkDist = join(repoRoot, 'packages/browser-sdk/dist');
/** The script-tag build: sets `window.weft`. */
export const browserSdkScript = join(browserSdkDist, 'weft.min.js');

// What the IIFE is built from: the browser package and the core it bundles.
const sources = ['packages/browser-sdk/src', 'packages/core/src'].map((dir) => join(repoRoot, dir));

function newestMtimeMs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The personalization script-tag build, loaded after weft.min.js. */
export const browserPersonalizeScript = join(browserSdkDist, 'weft.personalize.min.js');

/** True when weft.min.js (or weft.personalize.min.js) is missing or older than a file it is built from. */
export function isBrowserSdkBuildStale(): boolean {
  if (!existsSync(browserSdkScript) || !existsSync(browserPersonalizeScript)) return true;
  const built = statSync(browserSdkScript).mtimeMs;
  return sources.some((dir) => newestMtimeMs(dir) > built);
}

/**
 * Builds @weft/browser (and what it depends on) when weft.min.js is missing or stale, so the
 * browser tests run on a fresh checkout and never on an old bundle. Returns the script's path.
 */
export async function ensureBrowserSdkBuild(): Promise<string> {
  if (isBrowserSdkBuildStale()) {
    try {
      await promisify(execFile)('pnpm', ['-r', '--filter', '@weft/browser...', 'build'], {
        cwd: repoRoot,
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`building @weft/browser failed:\n${stdout.slice(-3_000)}\n${stderr.slice(-3_000)}`, {
        cause: error,
      });
    }
  }
  if (!existsSync(browserSdkScript)) throw new Error(`the @weft/browser build wrote no ${browserSdkScript}`);
  return browserSdkScript;
}
