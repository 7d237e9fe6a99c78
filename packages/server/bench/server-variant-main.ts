/**
 * The server as src/main.ts runs it, with what no setting exposes changed for a benchmark:
 * BENCH_SECURE_DELETE=on|off|fast opens the database with that secure_delete, and
 * BENCH_CHANGE_FEED=off writes no change feed, to measure what each costs.
 */
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/ops/logger.js';
import { startServer } from '../src/start-server.js';

const secureDelete = process.env.BENCH_SECURE_DELETE ?? 'fast';
if (secureDelete !== 'on' && secureDelete !== 'off' && secureDelete !== 'fast') {
  throw new Error('BENCH_SECURE_DELETE must be on, off or fast');
}
const changeFeed = process.env.BENCH_CHANGE_FEED ?? 'on';
if (changeFeed !== 'on' && changeFeed !== 'off') throw new Error('BENCH_CHANGE_FEED must be on or off');
const server = await startServer(loadConfig(process.env), silentLogger, {
  secureDelete,
  isChangeFeedOn: changeFeed === 'on',
});
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
