/**
 * `npm run db`: runs the local database `npm start` uses when MONGODB_URI is not set (files in
 * DATA_DIR, default .data/) in the foreground, e.g. to point a GUI or a second process at it.
 * The first line on stdout is `MONGODB_URI=<uri>`; log lines go to stderr.
 */
import path from 'node:path';
import { ConfigError, loadEnv } from '../config/env';
import { startLocalDatabase } from './local-database';

const logger = {
  info: (message: string) => process.stderr.write(`${message}\n`),
  warn: (message: string) => process.stderr.write(`warning: ${message}\n`),
};

let dataDir: string;
try {
  dataDir = path.resolve(loadEnv().DATA_DIR);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const database = await startLocalDatabase({ dataDir, logger });
const stop = async (signal: NodeJS.Signals) => {
  logger.info(`${signal}: stopping the database`);
  await database.stop();
  process.exit(0);
};
// Listening before the URI is printed: whoever reads it may stop us at once, and until a listener
// is added a SIGTERM kills the process outright (the database then not stopped).
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.stdout.write(`MONGODB_URI=${database.uri}\n`);
logger.info('Press Ctrl-C to stop.');
