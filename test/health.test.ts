import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/app/embedded-db.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { npmScriptNodeArgs } from './support/npm-scripts.js';

/**
 * Health as an orchestrator sees it, on a PostgreSQL of the test's own (it is stopped under the
 * running server, which no other test file could share): liveness never depends on the database;
 * readiness does, on its migrations, and on the process not shutting down.
 */

interface Health {
  readonly status: number;
  readonly body: { status: string; checks?: Record<string, unknown> };
}

async function health(api: ApiProcess, which: 'live' | 'ready'): Promise<Health> {
  const response = await fetch(`${api.origin}/health/${which}`, { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    throw new Error(`GET /health/${which} failed (process exit code ${api.child.exitCode}); its log ends:\n${api.output().slice(-3_000)}`, { cause: error });
  });
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

/** Polls readiness until it answers `status`; returns how long that took. */
async function readinessTurns(api: ApiProcess, status: number, withinMs: number): Promise<{ ms: number; last: Health }> {
  const started = Date.now();
  for (;;) {
    const last = await health(api, 'ready');
    if (last.status === status) return { ms: Date.now() - started, last };
    if (Date.now() - started > withinMs) throw new Error(`/health/ready still answers ${last.status} after ${withinMs} ms: ${JSON.stringify(last.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function firstCustomer(api: ApiProcess, key: string): Promise<unknown> {
  const response = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ customers(first: 1) { edges { node { id } } } }' }),
  });
  return response.json();
}

describe('health endpoints', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  let api: ApiProcess;
  let key: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-health-'));
    db = await startEmbeddedDatabase({ dir, database: 'health', notice: () => undefined });
    // A release: `npm run migrate`, then `npm start` on that database (it seeds the demo org, then listens).
    const migrated = spawnSync(process.execPath, npmScriptNodeArgs('migrate'), { env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
    expect(migrated.status, migrated.stderr).toBe(0);
    api = await startApiProcess(db.url, { SEED_DEMO: 'true', SHUTDOWN_DELAY_SECONDS: '3' });
    key = /Demo staff API key \(ADMIN\): (\S+)/.exec(api.output())![1]!;
  }, 240_000);

  afterAll(async () => {
    await api?.stop({ kill: true });
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is ready on a migrated database, with every check named', async () => {
    expect(await health(api, 'live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await health(api, 'ready')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', migrations: 'current', pendingMigrations: 0, queue: 'running', shuttingDown: false } },
    });
  });

  it('is not ready while a migration the code ships is not applied', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number; name: string; executed_at: Date }>('delete from mikro_orm_migrations where id = (select max(id) from mikro_orm_migrations) returning *');
      expect(rows).toHaveLength(1);
      const { last } = await readinessTurns(api, 503, 5_000);
      expect(last.body).toMatchObject({ status: 'unavailable', checks: { database: 'ok', migrations: 'pending', pendingMigrations: 1 } });
      const [row] = rows;
      await client.query('insert into mikro_orm_migrations (id, name, executed_at) values ($1, $2, $3)', [row!.id, row!.name, row!.executed_at]);
      await readinessTurns(api, 200, 5_000);
    } finally {
      await client.end();
    }
  });

  it('turns 503 within 5 s of the database stopping, and ready again when it returns, with no restart', { timeout: 120_000 }, async () => {
    expect(await firstCustomer(api, key)).toMatchObject({ data: { customers: { edges: [{ node: { id: expect.any(String) } }] } } });
    const port = db.port;
    await db.stop();

    const down = await readinessTurns(api, 503, 5_000);
    expect(down.ms).toBeLessThan(5_000);
    expect(down.last.body).toMatchObject({ status: 'unavailable', checks: { database: 'unreachable', shuttingDown: false } });
    // The process itself is alive and says so: an orchestrator must not restart it for the database's outage.
    expect(await health(api, 'live')).toEqual({ status: 200, body: { status: 'ok' } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(api.child.exitCode).toBeNull();

    db = await startEmbeddedDatabase({ dir, database: 'health', notice: () => undefined, port });
    const up = await readinessTurns(api, 200, 30_000);
    expect(up.last.body).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'current', queue: 'running' } });
    // The same process serves GraphQL from the database again: its pools reconnected by themselves.
    let answer: unknown;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      answer = await firstCustomer(api, key);
      if (JSON.stringify(answer).includes('"edges"')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(answer).toMatchObject({ data: { customers: { edges: [{ node: { id: expect.any(String) } }] } } });
    expect(api.child.exitCode).toBeNull();
  });

  it('answers 503 from SIGTERM on, while it still serves for SHUTDOWN_DELAY_SECONDS, then exits cleanly', { timeout: 60_000 }, async () => {
    const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
    api.child.kill('SIGTERM');
    const draining = await readinessTurns(api, 503, 2_000);
    expect(draining.last.body).toMatchObject({ status: 'unavailable', checks: { shuttingDown: true } });
    // Still serving meanwhile: liveness and requests are answered until the delay ends.
    expect(await health(api, 'live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await firstCustomer(api, key)).toMatchObject({ data: { customers: { edges: [{ node: { id: expect.any(String) } }] } } });
    expect(await exited).toBe(0);
  });
});
