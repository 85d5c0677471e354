import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from './database.js';
import { forkApiProcesses, isApiProcess } from './cluster.js';
import { readConfig, type AppConfig } from './env.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrateUp } from './orm.js';
import { isEmpty, seedDemo } from './seed/demo.js';
import { GRAPHQL_PATH, startServer } from './server/app.js';

/** Seeds the demo org on first start and returns its key (kept in the data directory to print again). */
async function demoKey(em: Parameters<typeof seedDemo>[0], dataDir: string): Promise<string | undefined> {
  const keyFile = path.join(dataDir, 'demo-api-key');
  if (await isEmpty(em)) {
    const key = await seedDemo(em);
    await mkdir(dataDir, { recursive: true });
    await writeFile(keyFile, key, { mode: 0o600 });
    return key;
  }
  return existsSync(keyFile) ? (await readFile(keyFile, 'utf8')).trim() : undefined;
}

/**
 * Migrates the database when this start should (the embedded one, or MIGRATE_ON_START); otherwise
 * says what is pending: the server still starts, and /health/ready answers 503 until a release's
 * `npm run migrate` has run.
 */
async function migrateOrCheck(orm: MikroORM, config: AppConfig): Promise<void> {
  if (config.migrateOnStart) {
    const applied = await migrateUp(orm);
    if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
    return;
  }
  const pending = await orm.migrator.getPending();
  if (pending.length) console.warn(`${pending.length} migrations are not applied (${pending.map((migration) => migration.name).join(', ')}): run npm run migrate; /health/ready answers 503 until then`);
}

/** What the process prints once it serves (the primary's banner when there are several API processes). */
function banner(url: string, database: { embedded: boolean; url: string }, production: boolean, key: string | undefined, processes: number): void {
  console.log(`Loyalty graph ready at ${url}${production ? '' : ' (Apollo Sandbox in your browser)'}${processes > 1 ? ` (${processes} API processes)` : ''}`);
  console.log(database.embedded ? `Embedded PostgreSQL: ${database.url.replace(/:[^:@/]+@/, ':***@')}` : 'Using DATABASE_URL');
  if (key) console.log(`Demo staff API key (ADMIN): ${key}\n  send it as: Authorization: Bearer ${key}`);
}

/**
 * On SIGINT or SIGTERM (once): says so (unless `saying` is null), runs `stop`, then removes the
 * database URL file and stops the embedded database (when this process started one), and exits.
 */
function stopOnSignals(saying: string | null, stop: () => Promise<void>, database: { embedded: boolean; stop(): Promise<void> }, urlFile: string): void {
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (saying) console.log(`${signal}: ${saying}`);
    try {
      await stop();
    } finally {
      if (database.embedded) await rm(urlFile, { force: true });
      await database.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Prepares the database once, then serves from API_PROCESSES processes (see cluster.ts). */
async function primary(config: AppConfig): Promise<void> {
  const database = await openDatabase(config);
  const orm = await initOrm(database.url, { pool: { min: 0, max: config.databasePoolMax } });
  try {
    await migrateOrCheck(orm, config);
  } catch (error) {
    await orm.close();
    await database.stop();
    throw error;
  }
  const key = config.seedDemo ? await demoKey(orm.em.fork(), config.dataDir) : undefined;
  await orm.close();
  const urlFile = path.join(config.dataDir, 'database-url');
  if (database.embedded) await writeFile(urlFile, database.url, { mode: 0o600 });
  // Migrated and seeded here: the API processes only serve. The first also runs the job workers.
  const processes = await forkApiProcesses(
    config.apiProcesses,
    (index) => ({ DATABASE_URL: database.url, SEED_DEMO: '0', API_PROCESSES: '1', IMPORT_WORKERS: index === 0 ? String(config.importWorkers) : '0' }),
    (line) => console.log(line),
  );
  banner(`http://localhost:${processes.port}${GRAPHQL_PATH}`, database, config.production, key, config.apiProcesses);

  stopOnSignals('draining the API processes and shutting down…', () => processes.stop(), database, urlFile);
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.apiProcesses > 1 && !isApiProcess()) return primary(config);
  const database = await openDatabase(config);
  const orm = await initOrm(database.url, { pool: { min: 0, max: config.databasePoolMax } });
  await migrateOrCheck(orm, config);
  const key = config.seedDemo ? await demoKey(orm.em.fork(), config.dataDir) : undefined;
  // `npm run worker` beside this server joins the embedded database through this file.
  const urlFile = path.join(config.dataDir, 'database-url');
  if (database.embedded) await writeFile(urlFile, database.url, { mode: 0o600 });
  const server = await startServer({ orm, config, databaseUrl: database.url });

  if (isApiProcess()) console.log(`API process ${process.pid} ready${config.importWorkers > 0 ? ' (runs the job workers)' : ''}`);
  else banner(server.url, database, config.production, key, 1);

  stopOnSignals(isApiProcess() ? null : 'draining requests and shutting down…', async () => {
    await server.stop();
    await orm.close();
  }, database, urlFile);
}

main().catch((error: unknown) => {
  console.error('Could not start the loyalty graph:', error);
  process.exit(1);
});
