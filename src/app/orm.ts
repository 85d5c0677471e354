import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import { Migrator } from '@mikro-orm/migrations';
import { installJobQueueSchema } from './jobs/queue.js';
import { entities } from './entities.js';
import { recordStatement } from '../core/sql/query-stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MIGRATIONS_DIR = path.join(root, 'migrations');

export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      emit: 'ts',
      snapshot: true,
      snapshotName: '.schema-snapshot',
    },
    // rate-limiter-flexible's table (migrations/…_auth_failure.ts) has no entity.
    schemaGenerator: { ignoreSchema: ['rate_limit'] },
    // Writes go through explicit transactions in services; reads never need the global context.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    // Statements run as named prepared statements (core/sql/rows.ts). Left to choose, PostgreSQL
    // re-plans a statement on every execution whenever a plan for its actual parameters looks
    // cheaper (arrays of ids always do): 4 ms of planning for 2 ms of work in the single view.
    // Generic plans are made once per connection; statements whose generic plan would be poor
    // are written so that it is not (see points.loaders.ts, and rowsByKey in rows.ts). A plan is
    // made from the statistics of its moment and kept until the table is analyzed again: on a new
    // database whose tables grow from empty, sequential scans chosen on empty tables last until
    // autovacuum's next ANALYZE (within a minute or so, by PostgreSQL's defaults).
    // Named for pg_stat_activity (README, Connections); PGAPPNAME, when set, names a process's request pool instead.
    driverOptions: { options: '-c plan_cache_mode=force_generic_plan', application_name: process.env.PGAPPNAME || 'loyalty-orm' },
    onQuery(sql) {
      recordStatement();
      return sql;
    },
    ...overrides,
  };
}

export function initOrm(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, overrides));
}

/** The advisory lock every migration run of a database takes (any constant of our own: it names the lock). */
const MIGRATION_LOCK = 4_204_207_001;

/**
 * Applies every pending migration, then installs or upgrades the job queue's schema; returns the
 * migrations applied. Runs under a session advisory lock held on a connection of its own, so
 * processes migrating the same database at once take turns: the first applies, the others find
 * nothing left to do (a release's `npm run migrate` beside starting servers is safe).
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const url = orm.config.get('clientUrl') as string;
  const lock = new pg.Client({ connectionString: url, application_name: 'loyalty-migrate' });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    await installJobQueueSchema(url);
    return applied.map((migration) => migration.name);
  } finally {
    // Ending the session releases the lock, whatever happened.
    await lock.end();
  }
}
