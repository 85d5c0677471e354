import { readdirSync } from 'node:fs';
import { Router } from 'express';
import type pg from 'pg';
import { sidePool } from '../../core/sql/side-pool.js';

/**
 * Health as an orchestrator reads it:
 * - `/health/live` (and `/health`, as before): the process answers. Never touches the database, so
 *   an outage of PostgreSQL does not get a healthy process restarted.
 * - `/health/ready`: this process can serve now: the database answers, every migration the code
 *   ships is applied, the job queue runs, and the process is not shutting down. 503 otherwise,
 *   with the failing checks named (never an error's text: it may hold a host or a user name).
 *
 * The endpoints need no credentials, so a check costs one small statement at most once a second
 * however often they are called: a result is reused for `REUSE_MS`, and callers arriving while a
 * check runs wait for that one. The probe has its own connection (one, not from the request pool):
 * a pool exhausted by requests must not read as a dead database, nor the probe take a request's
 * connection.
 */

/** How long one check's result answers every caller. */
const REUSE_MS = 1_000;
/** A database that takes longer than this to connect or answer counts as unreachable. */
const CHECK_TIMEOUT_MS = 2_000;
/** Migration files as the migrator finds them (compiled or not, never declarations). */
const MIGRATION_FILE = /^(Migration\w+)\.(?:ts|js)$/;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: {
    /** `unknown` while shutting down: not checked any more. */
    readonly database: 'ok' | 'unreachable' | 'unknown';
    readonly migrations: 'current' | 'pending' | 'unknown';
    /** Migrations the code ships that the database has not applied (0 when unknown). */
    readonly pendingMigrations: number;
    readonly queue: 'running' | 'stopped';
    readonly shuttingDown: boolean;
  };
}

export interface ReadinessOptions {
  readonly databaseUrl: string;
  /** The migrations folder: every migration in it must be applied. */
  readonly migrationsDir: string;
  /** Whether the job queue is running in this process. */
  readonly queueRunning: () => boolean;
  readonly log: (message: string, error?: unknown) => void;
}

/** The migrations the code ships, by name (as the migrator records them). */
export function shippedMigrations(dir: string): string[] {
  return readdirSync(dir).flatMap((file) => {
    const match = MIGRATION_FILE.exec(file);
    return match ? [match[1] as string] : [];
  });
}

export class Readiness {
  private readonly pool: pg.Pool;
  private readonly expected: readonly string[];
  private draining = false;
  private last: { readonly at: number; readonly report: ReadinessReport } | undefined;
  private running: Promise<ReadinessReport> | undefined;
  /** The database's state at the last check, so that an outage is logged when it starts and ends, not every second. */
  private reachable = true;

  constructor(private readonly options: ReadinessOptions) {
    this.expected = shippedMigrations(options.migrationsDir);
    this.pool = sidePool(options.databaseUrl, 'loyalty-health', { max: 1, idleTimeoutMillis: 60_000, connectionTimeoutMillis: CHECK_TIMEOUT_MS, query_timeout: CHECK_TIMEOUT_MS });
  }

  /** From now on the process is not ready: it is shutting down (requests still in flight finish). */
  drain(): void {
    this.draining = true;
  }

  async report(): Promise<ReadinessReport> {
    if (this.draining) return this.compose('unknown', 'unknown', 0, true);
    if (this.last && Date.now() - this.last.at < REUSE_MS) return this.last.report;
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async check(): Promise<ReadinessReport> {
    let database: 'ok' | 'unreachable' = 'ok';
    let migrations: 'current' | 'pending' | 'unknown' = 'unknown';
    let pending = 0;
    try {
      const applied = await this.appliedMigrations();
      pending = this.expected.filter((name) => !applied.has(name)).length;
      migrations = pending === 0 ? 'current' : 'pending';
    } catch (error) {
      database = 'unreachable';
      if (this.reachable) this.options.log('Readiness: the database cannot be reached; /health/ready answers 503 until it can', error);
    }
    if (database === 'ok' && !this.reachable) this.options.log('Readiness: the database answers again');
    this.reachable = database === 'ok';
    const report = this.compose(database, migrations, pending, this.draining);
    this.last = { at: Date.now(), report };
    return report;
  }

  /** The migrations the database records as applied; none when the migrator never ran there. */
  private async appliedMigrations(): Promise<Set<string>> {
    try {
      const { rows } = await this.pool.query<{ name: string }>('select name from mikro_orm_migrations');
      return new Set(rows.map((row) => row.name.replace(/\.(?:ts|js)$/, '')));
    } catch (error) {
      if ((error as { code?: unknown }).code === '42P01') return new Set();
      throw error;
    }
  }

  private compose(database: 'ok' | 'unreachable' | 'unknown', migrations: 'current' | 'pending' | 'unknown', pending: number, shuttingDown: boolean): ReadinessReport {
    const queue = this.options.queueRunning() ? 'running' : 'stopped';
    return {
      ready: !shuttingDown && database === 'ok' && migrations === 'current' && queue === 'running',
      checks: { database, migrations, pendingMigrations: pending, queue, shuttingDown },
    };
  }
}

/** `/health`, `/health/live` and `/health/ready`; never cached by anyone between. */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get(['/health', '/health/live'], (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const report = await readiness.report();
    res
      .status(report.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks });
  });
  return router;
}
