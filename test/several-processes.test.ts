import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { gqlClient, wsClient } from './support/client.js';
import { csv, customersTemplate, storeCodeOf, watchProgress } from './support/imports.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';
import { createOrg, type TestOrg } from './support/world.js';

/**
 * Production's shape on one machine: 3 API processes that run no jobs and 2 `npm run worker`
 * processes, on one PostgreSQL and one Redis (events between processes), as compose would run
 * them. An import is uploaded to one API process, run by a worker, and watched live from another.
 */
describe('three API processes and two workers on one database and one Redis', () => {
  let server: TestServer;
  let redis: RedisServer;
  let org: TestOrg;
  const apis: ApiProcess[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // The test's own server runs no jobs either (its events would go through PostgreSQL, not Redis).
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em());
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, IMPORT_WORKERS: '0' };
    // Started one after another: five cold starts at once on two cores would only be slower.
    for (let i = 0; i < 3; i += 1) apis.push(await startApiProcess(server.databaseUrl, env));
    for (let i = 0; i < 2; i += 1) workers.push(await startWorkerProcess(server.databaseUrl, { REDIS_URL: redis.url, IMPORT_WORKERS: '1' }));
  }, 240_000);
  afterAll(async () => {
    await Promise.all([...apis.map((api) => api.stop()), ...workers.map((worker) => worker.stop())]);
    await redis?.stop();
    await server?.stop();
  });

  it('runs an import uploaded to one API process on a worker, watched live from another API process', { timeout: 120_000 }, async () => {
    const [first, second] = apis as [ApiProcess, ApiProcess];
    const templateId = await customersTemplate(gqlClient(`${first.origin}/graphql`, org.key));
    const store = await storeCodeOf(server, org);
    const rows: (string | number)[][] = [['Mobile', 'First Name', 'Store']];
    for (let i = 0; i < 20_000; i += 1) rows.push([`658${String(i).padStart(7, '0')}`, 'Member', store]);

    const response = await fetch(`${first.origin}/imports?templateId=${encodeURIComponent(templateId)}&fileName=members.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' },
      body: csv(rows),
    });
    expect(response.status).toBe(202);
    const jobId = ((await response.json()) as { job: { id: string } }).job.id;

    // Watched through the second API process: its events come from the worker, through Redis.
    const ws = wsClient(second.wsUrl, org.key);
    try {
      const seen = await watchProgress(ws, jobId);
      expect(seen.at(-1)).toMatchObject({ state: 'COMPLETED', rowsRead: 20_000, rowsAccepted: 20_000 });
      // Live: states in between arrived, not only the end.
      expect(new Set(seen.map((progress) => progress.state)).size).toBeGreaterThan(1);
    } finally {
      await ws.dispose();
    }
    // One job, run once, without a failed attempt (the API processes run no jobs: a worker did).
    const jobs = await server.em().getConnection().execute<{ attempts: number; state: string }[]>('select attempts, state from import_job where org_id = ?', [org.orgId]);
    expect(jobs).toEqual([{ attempts: 0, state: 'COMPLETED' }]);
    // Every process is still up.
    for (const process of [...apis, ...workers]) expect(process.child.exitCode).toBeNull();
  });
});
