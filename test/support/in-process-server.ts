import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger, startServer } from '@weft/server';
import { testAdminToken, testWriteKey } from './server-process.js';
import { openTestDatabase, type TestDatabase } from './test-database.js';

/**
 * The real server, in this process, on 127.0.0.1 with a random port and a database of its own:
 * a temporary SQLite file, or a PostgreSQL schema in the matrix's postgres project.
 */
export interface InProcessServer {
  readonly url: string;
  readonly port: number;
  /** A temporary folder of the test's own, removed on close. */
  readonly dir: string;
  /** The server's database, for a look at what it stored. */
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export async function startInProcessServer(name: string): Promise<InProcessServer> {
  const dir = mkdtempSync(join(tmpdir(), `weft-${name}-`));
  const database = await openTestDatabase(dir);
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: database.url,
    WEFT_WRITE_KEY: testWriteKey,
    WEFT_ADMIN_TOKEN: testAdminToken,
  });
  const server = await startServer(config, silentLogger);
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    dir,
    database,
    async close() {
      await server.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
