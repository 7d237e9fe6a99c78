import type { CreatedSecrets } from '../auth/bootstrap-credentials.js';
import { loadConfig } from '../config/load-config.js';
import { createJsonLogger } from '../ops/logger.js';
import { startServer } from '../start-server.js';
import type { CliIo } from './keys-command.js';

/** Starts the server and stops it gracefully on SIGTERM / SIGINT. */
export async function runServeCommand(io: CliIo): Promise<void> {
  const config = loadConfig(io.env);
  const logger = createJsonLogger(config.logLevel);
  const server = await startServer(config, logger);
  showCreatedSecrets(server.createdSecrets, io);

  const stop = (signal: string) => {
    logger.info({ msg: 'shutting down', signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ msg: 'shutdown failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function showCreatedSecrets(secrets: CreatedSecrets, io: CliIo): void {
  if (!secrets.writeKey && !secrets.adminToken) return;
  const lines = ['', 'Weft created credentials on this first start. They are shown only once: store them now.'];
  if (secrets.writeKey) lines.push(`  write key:   ${secrets.writeKey}`);
  if (secrets.adminToken) lines.push(`  admin token: ${secrets.adminToken}`);
  lines.push('Manage them with `weft-server keys --help`.', '');
  io.err(lines.join('\n'));
}
