import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../core/clock.js';
import { readConfig } from './env.js';
import { initOrm } from './orm.js';
import { startRuntime } from './server/runtime.js';
import { appLog, createLogger } from './logger.js';

/**
 * `npm run worker`: a process that runs jobs (imports, SMS and email deliveries, the scheduled
 * expiry and retention) and serves no API, beside any number of API
 * servers and other workers on the same database. Without DATABASE_URL it joins the embedded
 * database of a server running from the same directory.
 */
function databaseUrl(dataDir: string): string {
  const configured = process.env.DATABASE_URL;
  if (configured) return configured;
  const file = path.join(dataDir, 'database-url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error('Set DATABASE_URL, or start the server (`npm start`) first: a worker joins its embedded database.');
}

async function main(): Promise<void> {
  const base = readConfig();
  const url = databaseUrl(base.dataDir);
  const config = { ...base, databaseUrl: url, importWorkers: Math.max(1, base.importWorkers) };
  const orm = await initOrm(url, { pool: { min: 0, max: config.databasePoolMax } });
  const runtime = await startRuntime({ orm, config, databaseUrl: url, clock: systemClock, log: appLog(createLogger({ level: config.logLevel, format: config.logFormat })) });
  console.log(`Worker ready: ${config.importWorkers} imports at a time, SMS and email deliveries`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: interrupting running imports (they resume elsewhere) and stopping…`);
    try {
      await runtime.stop();
      await orm.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Could not start the import worker:', error);
  process.exit(1);
});
