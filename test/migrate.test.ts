import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminQuery, withDatabase } from './support/server.js';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { shippedMigrations } from '../src/app/server/health.js';
import { MIGRATIONS_DIR } from '../src/app/orm.js';
import { npmScriptNodeArgs } from './support/npm-scripts.js';

/** `npm run migrate` as a release runs it, on `url`; resolves with its exit code and output. */
function migrate(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, npmScriptNodeArgs('migrate'), { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run migrate', () => {
  const database = `m_${randomBytes(6).toString('hex')}`;
  let url: string;

  beforeAll(async () => {
    // An empty database, as a first release finds it.
    await adminQuery(`create database ${database}`);
    url = withDatabase(inject('databaseServerUrl'), database);
  });
  afterAll(async () => {
    await adminQuery(`drop database if exists ${database} with (force)`);
  });

  it('is safe from several processes at once: one applies each migration, the others wait and find nothing to do', { timeout: 120_000 }, async () => {
    const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    for (const run of runs) expect(run.code, run.output).toBe(0);
    // Exactly one of them applied the migrations; the others came after it.
    expect(runs.filter((run) => run.output.includes('Applied:'))).toHaveLength(1);
    expect(runs.filter((run) => run.output.includes('Nothing to apply'))).toHaveLength(2);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: number }>('select name, count(*)::int as n from mikro_orm_migrations group by name order by name');
      expect(rows.map((row) => row.name.replace(/\.(ts|js)$/, '')).sort()).toEqual(shippedMigrations(MIGRATIONS_DIR).sort());
      expect(rows.every((row) => row.n === 1)).toBe(true);
      // The job queue's schema came with them.
      expect((await client.query("select 1 from information_schema.tables where table_schema = 'pgboss' and table_name = 'version'")).rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
