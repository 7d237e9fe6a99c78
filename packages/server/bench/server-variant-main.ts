/**
 * The server as src/main.ts runs it, with what no setting exposes changed for a benchmark:
 * BENCH_SECURE_DELETE=off opens the database without secure_delete, to measure what it costs.
 */
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/ops/logger.js';
import { startServer } from '../src/start-server.js';

const server = await startServer(loadConfig(process.env), silentLogger, {
  secureDelete: process.env.BENCH_SECURE_DELETE !== 'off',
});
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
