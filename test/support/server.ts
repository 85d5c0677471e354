import { randomBytes } from 'node:crypto';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { inject } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { readConfig, type AppConfig } from '../../src/app/env.js';
import { initOrm } from '../../src/app/orm.js';
import { startServer, type RunningServer } from '../../src/app/server/app.js';
import { TEMPLATE_DATABASE } from './global-setup.js';

export interface TestServer {
  /** The database's name on the test PostgreSQL server. */
  readonly database: string;
  readonly url: string;
  readonly wsUrl: string;
  readonly databaseUrl: string;
  readonly orm: MikroORM;
  /** A fresh EntityManager for test setup and assertions. */
  em(): EntityManager;
  /** Stops the server and drops its database (unless kept, e.g. for another server to take over). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  readonly production?: boolean;
  /** The server's clock (a ManualClock lets a test move time); the system clock by default. */
  readonly clock?: Clock;
  /** Import jobs the server runs itself (0: only separate worker processes run them). */
  readonly importWorkers?: number;
  /** Events through Redis instead of PostgreSQL. */
  readonly redisUrl?: string;
  /** An existing test database to take over (another server's, stopped with keepDatabase), instead of a new one. */
  readonly database?: string;
  /** The largest upload accepted (bytes). */
  readonly importMaxFileBytes?: number;
  /** Import reports streamed at once (the config's default otherwise). */
  readonly importReportDownloads?: number;
  /** Any other settings, over the test defaults. */
  readonly config?: Partial<AppConfig>;
}

/** `url` with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** One statement on the test PostgreSQL server's `postgres` database (creating and dropping databases). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(inject('databaseServerUrl'), 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The real server on a free port over its own database, cloned from the migrated template: test
 * files never share data and never depend on each other's order.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? `t_${randomBytes(6).toString('hex')}`;
  if (options.database === undefined) await adminQuery(`create database ${database} template ${TEMPLATE_DATABASE}`);
  const databaseUrl = withDatabase(inject('databaseServerUrl'), database);
  const orm = await initOrm(databaseUrl, { pool: { min: 0, max: 60 } });
  const base = readConfig({ NODE_ENV: options.production ? 'production' : 'test' });
  let server: RunningServer;
  try {
    const config = {
      ...base,
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      importWorkers: options.importWorkers ?? base.importWorkers,
      redisUrl: options.redisUrl ?? base.redisUrl,
      importMaxFileBytes: options.importMaxFileBytes ?? base.importMaxFileBytes,
      importReportDownloads: options.importReportDownloads ?? base.importReportDownloads,
      // Quiet, as its log (below) is: tests read what they check from responses, not from lines.
      logLevel: 'silent' as const,
      ...options.config,
    };
    server = await startServer({ orm, config, clock: options.clock, log: () => undefined });
  } catch (error) {
    await orm.close();
    throw error;
  }
  return {
    database,
    url: `http://127.0.0.1:${server.port}/graphql`,
    wsUrl: `ws://127.0.0.1:${server.port}/graphql`,
    databaseUrl,
    orm,
    em: () => orm.em.fork(),
    async stop(stopOptions = {}) {
      await server.stop();
      await orm.close();
      if (!stopOptions.keepDatabase) await adminQuery(`drop database if exists ${database} with (force)`);
    },
  };
}
