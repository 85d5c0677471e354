import { initOrm, migrateUp } from './orm.js';
import { openDatabase } from './database.js';
import { readConfig } from './env.js';

/**
 * `npm run migrate` applies pending migrations;
 * `npm run migration:create [-- --name add-foo]` diffs the entities against the schema and writes a new migration.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const database = await openDatabase(readConfig());
  const orm = await initOrm(database.url);
  try {
    if (args.includes('--create')) {
      await migrateUp(orm);
      const nameIndex = args.indexOf('--name');
      const name = nameIndex >= 0 ? args[nameIndex + 1] : undefined;
      const result = await orm.migrator.create(undefined, false, false, name);
      console.log(result.fileName ? `Created migrations/${result.fileName}` : 'No changes: the schema matches the entities.');
    } else {
      const applied = await migrateUp(orm);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
    }
  } finally {
    await orm.close();
    await database.stop();
  }
}

await main();
