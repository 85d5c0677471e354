import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from './database.js';
import { readConfig } from './env.js';
import { initOrm, migrateUp } from './orm.js';
import { isEmpty, seedDemo } from './seed/demo.js';
import { startServer } from './server/app.js';

/** Seeds the demo org on first start and returns its key (kept in the data directory to print again). */
async function demoKey(em: Parameters<typeof seedDemo>[0], dataDir: string): Promise<string | undefined> {
  const keyFile = path.join(dataDir, 'demo-api-key');
  if (await isEmpty(em)) {
    const key = await seedDemo(em);
    await writeFile(keyFile, key, { mode: 0o600 });
    return key;
  }
  return existsSync(keyFile) ? (await readFile(keyFile, 'utf8')).trim() : undefined;
}

async function main(): Promise<void> {
  const config = readConfig();
  const database = await openDatabase(config);
  const orm = await initOrm(database.url);
  const applied = await migrateUp(orm);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  const key = config.seedDemo ? await demoKey(orm.em.fork(), config.dataDir) : undefined;
  // `npm run worker` beside this server joins the embedded database through this file.
  const urlFile = path.join(config.dataDir, 'database-url');
  if (database.embedded) await writeFile(urlFile, database.url, { mode: 0o600 });
  const server = await startServer({ orm, config, databaseUrl: database.url });

  console.log(`Loyalty graph ready at ${server.url}${config.production ? '' : ' (Apollo Sandbox in your browser)'}`);
  console.log(database.embedded ? `Embedded PostgreSQL: ${database.url.replace(/:[^:@/]+@/, ':***@')}` : 'Using DATABASE_URL');
  if (key) console.log(`Demo staff API key (ADMIN): ${key}\n  send it as: Authorization: Bearer ${key}`);

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${signal}: draining requests and shutting down…`);
    try {
      await server.stop();
      await orm.close();
    } finally {
      if (database.embedded) await rm(urlFile, { force: true });
      await database.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Could not start the loyalty graph:', error);
  process.exit(1);
});
