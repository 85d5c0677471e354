import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/app/embedded-db.js';

export const TEMPLATE_DATABASE = 'loyalty_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test PostgreSQL (any database name; tests swap it). */
    databaseServerUrl: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function recreateTemplate(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`update pg_database set datistemplate = false where datname = '${TEMPLATE_DATABASE}'`);
    await client.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await client.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Migrations run exactly as `npm run migrate` runs them, in a child process. */
function migrate(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/migrate.ts'], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`Migrations failed:\n${output}`))));
  });
}

/**
 * Starts the test PostgreSQL (the embedded one, unless TEST_DATABASE_URL or DATABASE_URL names a
 * server) and builds a migrated template database that each test file clones for itself.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let serverUrl: string;
  if (configured) {
    serverUrl = configured;
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-test-pg-'));
    embedded = await startEmbeddedDatabase({ dir, database: 'postgres' });
    serverUrl = embedded.url;
  }
  await recreateTemplate(serverUrl);
  await migrate(withDatabase(serverUrl, TEMPLATE_DATABASE));
  project.provide('databaseServerUrl', serverUrl);
  return async () => {
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
