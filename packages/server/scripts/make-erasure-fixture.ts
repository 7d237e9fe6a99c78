/**
 * Writes the erasure fixture: a database made by a given server (its src/main.ts, run from source)
 * holding the contact history of src/testing/erasure-history.ts, gzipped, with the history's
 * values beside it as JSON. privacy/erase-contact-upgrade.test.ts opens it with this release's code
 * and checks that erasing leaves none of the values in the file.
 *
 *   node --import tsx scripts/make-erasure-fixture.ts <server package dir> <output base path>
 *
 * The committed fixture (src/privacy/fixtures/release-28664cb.*) was made with the server of
 * commit 28664cb, the last release before erasure cleaned stale bytes:
 *   git worktree add /tmp/weft-28664cb 28664cb && (cd /tmp/weft-28664cb && pnpm install)
 *   node --import tsx scripts/make-erasure-fixture.ts /tmp/weft-28664cb/packages/server src/privacy/fixtures/release-28664cb
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createFetchClient, writeErasureHistory } from '../src/testing/erasure-history.js';

const [serverDir, outputBase] = process.argv.slice(2);
if (!serverDir || !outputBase) throw new Error('usage: make-erasure-fixture.ts <server package dir> <output base>');

const writeKey = 'wk_fixture_0123456789abcdefghijklmnopqrstuvwxyz';
const adminToken = 'adm_fixture_0123456789abcdefghijklmnopqrstuvwxyz';
const dir = mkdtempSync(join(tmpdir(), 'weft-fixture-'));
const dbPath = join(dir, 'weft.db');
const port = await new Promise<number>((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => done(free));
  });
});
const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: resolve(serverDir),
  env: {
    ...process.env,
    PORT: String(port),
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: dbPath,
    WEFT_WRITE_KEY: writeKey,
    WEFT_ADMIN_TOKEN: adminToken,
    WEFT_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (
    await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    )
  )
    break;
  if (i > 200) throw new Error('server did not start');
  await new Promise((done) => setTimeout(done, 100));
}

const client = createFetchClient(url, { writeKey, adminToken });
try {
  const history = await writeErasureHistory(client, { editNotes: false });
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  writeFileSync(`${outputBase}.db.gz`, gzipSync(readFileSync(dbPath), { level: 9 }));
  writeFileSync(`${outputBase}.json`, `${JSON.stringify(history, null, 2)}\n`);
  console.log(`wrote ${outputBase}.db.gz and ${outputBase}.json`);
} finally {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
