import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteDatabase } from '@weft/server';
import { loadConfig, openDatabase, silentLogger, startServer } from '@weft/server';
import { testAdminToken, testWriteKey } from './server-process.js';

/** The real server, in this process, on 127.0.0.1 with a random port and a temporary database. */
export interface InProcessServer {
  readonly url: string;
  readonly port: number;
  /** A temporary folder of the test's own, removed on close. */
  readonly dir: string;
  readonly dbPath: string;
  /** Opens the database for a look; the caller closes it. */
  openDb(): SqliteDatabase;
  close(): Promise<void>;
}

export async function startInProcessServer(name: string): Promise<InProcessServer> {
  const dir = mkdtempSync(join(tmpdir(), `weft-${name}-`));
  const dbPath = join(dir, 'weft.db');
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: dbPath,
    WEFT_WRITE_KEY: testWriteKey,
    WEFT_ADMIN_TOKEN: testAdminToken,
  });
  const server = await startServer(config, silentLogger);
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    dir,
    dbPath,
    openDb: () => openDatabase(dbPath),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
