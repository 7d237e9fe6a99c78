import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcessServer } from './support/in-process-server.js';
import { sourceNodeArgs } from './support/node-sdk-source.js';
import { testWriteKey } from './support/server-process.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const segmentScript = fileURLToPath(new URL('./support/node-sdk-segment-script.ts', import.meta.url));
const segmentImport = "import { Analytics } from '@segment/analytics-node';";

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer('node-sdk-segment-compat');
});

afterAll(() => server?.close());

async function runScript(path: string, tag: string) {
  const { stdout } = await run(process.execPath, [...sourceNodeArgs, path], {
    cwd: repoRoot,
    timeout: 30_000,
    env: { ...process.env, HOST: server.url, WRITE_KEY: testWriteKey, RUN: tag },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { acknowledged: string[]; failures: string[] };
}

function stored(tag: string) {
  return server.database.query<{ type: string; message_id: string; body: string }>(
    'SELECT type, message_id, body FROM events WHERE user_id LIKE ? OR anonymous_id LIKE ? ORDER BY type',
    [`${tag}-%`, `${tag}-%`],
  );
}

describe('a script written for @segment/analytics-node', () => {
  it('runs on @weft/node with only its import changed, each event stored exactly once', {
    timeout: 60_000,
  }, async () => {
    const original = readFileSync(segmentScript, 'utf8');
    expect(original).toContain(segmentImport);
    const swapped = original.replace(segmentImport, "import { Analytics } from '@weft/node';");
    const swappedPath = join(server.dir, 'weft-script.mts');
    writeFileSync(swappedPath, swapped);

    // The same script on Segment's own library first: the behaviour to match.
    const segment = await runScript(segmentScript, 'segment');
    const weft = await runScript(swappedPath, 'weft');

    for (const [tag, result] of [
      ['segment', segment],
      ['weft', weft],
    ] as const) {
      expect(result.failures, tag).toEqual([]);
      const rows = await stored(tag);
      expect(
        rows.map((row) => row.type),
        tag,
      ).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track', 'track']);
      expect(new Set(rows.map((row) => row.message_id)).size, tag).toBe(7);
      expect(result.acknowledged.sort(), tag).toEqual(rows.map((row) => row.message_id).sort());
    }
    const weftTrack = (await stored('weft'))
      .map((row) => JSON.parse(row.body))
      .find((body) => body.event === 'Item Purchased');
    expect(weftTrack.properties).toEqual({ revenue: 39.95, shippingMethod: '2-day' });
    expect(weftTrack.context.library.name).toBe('@weft/node');
  });
});
