import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/**
 * The README's connection budget, per API process: the request pool (DATABASE_POOL_MAX) and the
 * fixed connections beside it, each named by its `application_name`. Every connection the process
 * opens must be one of these.
 */
const POOL_MAX = 4;
const BUDGET: Record<string, number> = {
  'loyalty-orm': POOL_MAX,
  // pg-boss: a pool of 4, and its LISTEN on a connection of its own.
  'loyalty-jobs': 5,
  'loyalty-events': 2,
  'loyalty-events-listen': 1,
  'loyalty-auth-failures': 2,
  'loyalty-sign-in-limits': 2,
  'loyalty-health': 1,
};

describe('the connection budget of an API process', () => {
  let server: TestServer;
  let org: TestOrg;
  let api: ApiProcess;
  let watcher: pg.Client;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    for (let i = 0; i < 30; i += 1) await createCustomer(server.em(), org, { mobile: `65912${String(i).padStart(5, '0')}` });
    // Only the process under test connects to the database from now on (and the watcher, by its own name).
    await server.stop({ keepDatabase: true });
    api = await startApiProcess(server.databaseUrl, { DATABASE_POOL_MAX: String(POOL_MAX) });
    watcher = new pg.Client({ connectionString: server.databaseUrl, application_name: 'test-watcher' });
    await watcher.connect();
  }, 120_000);
  afterAll(async () => {
    await watcher?.end();
    await api?.stop();
    const cleanup = await startTestServer({ database: server.database });
    await cleanup.stop();
  });

  it('stays within DATABASE_POOL_MAX and the named fixed connections under 40 requests at once, LISTEN on a client of its own', { timeout: 60_000 }, async () => {
    const peak = new Map<string, number>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { rows } = await watcher.query<{ name: string; n: number }>(
          "select application_name as name, count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() group by application_name",
        );
        for (const { name, n } of rows) peak.set(name, Math.max(peak.get(name) ?? 0, n));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const request = () =>
      fetch(`${api.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${org.key}` },
        body: JSON.stringify({ query: '{ customers(first: 30) { edges { node { id firstName loyalty { pointsBalance } } } } }' }),
      }).then((response) => response.status);
    // Readiness and a bad key too, so that the health and rate-limit connections open.
    await fetch(`${api.origin}/health/ready`);
    await fetch(`${api.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer lg_bad' }, body: '{}' });
    const statuses = await Promise.all(Array.from({ length: 40 }, request));
    expect(statuses.every((status) => status === 200)).toBe(true);
    watching = false;
    await watch;

    // The request pool was used to its limit, and no further.
    expect(peak.get('loyalty-orm')).toBe(POOL_MAX);
    for (const [name, n] of peak) {
      expect(Object.keys(BUDGET), `a connection named "${name}" is not in the budget`).toContain(name);
      expect(n, name).toBeLessThanOrEqual(BUDGET[name]!);
    }
    expect(peak.get('loyalty-events-listen')).toBe(1);
  });
});
