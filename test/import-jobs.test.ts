import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { ImportCancelDocument, ImportReplayDocument } from './generated/graphql.js';
import { gqlClient, typedRequest, wsClient, type GqlClient } from './support/client.js';
import { customersTemplate, storeCodeOf, csv, finishedJob, jobDetails, watchProgress } from './support/imports.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';
import { npmScriptNodeArgs } from './support/npm-scripts.js';

/*
 * Imports as durable jobs: automatic retries that never apply a row twice, replay within 7 days
 * (a moved clock), a server restart in the middle of a job, workers in another process.
 */

const DAY_MS = 86_400_000;

async function setUp(server: TestServer): Promise<{ org: TestOrg; client: GqlClient; templateId: string; storeCode: string }> {
  const org = await createOrg(server.em());
  const client = gqlClient(server.url, org.key);
  const storeCode = await storeCodeOf(server, org);
  const templateId = await customersTemplate(client);
  return { org, client, templateId, storeCode };
}

/** `count` customers; the row numbered `failAt` carries the first name FAIL. */
function customersCsv(count: number, prefix: string, storeCode: string, failAt = 0): string {
  const rows: string[][] = [['Mobile', 'First Name', 'Store']];
  for (let i = 1; i <= count; i++) rows.push([`65${prefix}${String(i).padStart(6, '0')}`, i === failAt ? 'Fail' : 'Tom', storeCode]);
  return csv(rows);
}

/** The same rows with an external id each (`X-` and the row's number). */
function customersWithExternalIdsCsv(count: number, prefix: string, storeCode: string): string {
  const rows: string[][] = [['Mobile', 'First Name', 'Store', 'External Id']];
  for (let i = 1; i <= count; i++) rows.push([`65${prefix}${String(i).padStart(6, '0')}`, 'Tom', storeCode, `X-${i}`]);
  return csv(rows);
}

async function upload(server: TestServer, key: string, templateId: string, body: string): Promise<string> {
  const response = await fetch(`${new URL(server.url).origin}/imports?templateId=${templateId}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
  expect(response.status).toBe(202);
  return ((await response.json()) as { job: { id: string } }).job.id;
}

async function countCustomers(server: TestServer, orgId: number, prefix: string): Promise<number> {
  const rows = await server.em().execute<{ n: number }[]>(`select count(*)::int as n from customer where org_id = ? and mobile like ?`, [orgId, `65${prefix}%`]);
  return rows[0].n;
}

/**
 * A real failure in the database: inserting a customer named Fail raises an error, the first
 * `failures` times (a sequence counts them: it is not rolled back with the failed batch); -1 fails forever.
 */
async function installFault(server: TestServer, failures: number): Promise<void> {
  const em = server.em();
  await em.execute('drop sequence if exists import_fault_attempts');
  await em.execute('create sequence import_fault_attempts');
  await em.execute(`create or replace function import_fault() returns trigger language plpgsql as $$
    begin
      if new.first_name = 'Fail' and (${failures} < 0 or nextval('import_fault_attempts') <= ${failures}) then
        raise exception 'simulated outage while merging';
      end if;
      return new;
    end $$`);
  await em.execute('drop trigger if exists import_fault on customer');
  await em.execute('create trigger import_fault before insert on customer for each row execute function import_fault()');
}

async function removeFault(server: TestServer): Promise<void> {
  await server.em().execute('drop trigger if exists import_fault on customer');
}

describe('import jobs: retries and replay', () => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let templateId: string;
  let storeCode: string;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    ({ org, client, templateId, storeCode } = await setUp(server));
  });
  afterAll(() => server?.stop());

  it('retries a failed merge automatically and applies every row exactly once', async () => {
    await installFault(server, 2);
    // 25,000 rows are three batches; the failing row is in the second, after the first has committed.
    const jobId = await upload(server, org.key, templateId, customersCsv(25_000, '71', storeCode, 15_000));
    const job = await finishedJob(server, client, org.key, jobId);
    await removeFault(server);
    expect(job).toMatchObject({ state: 'COMPLETED', attempts: 2, progress: { rowsAccepted: 25_000, rowsRejected: 0, batchesMerged: 3 } });
    expect(await countCustomers(server, org.orgId, '71')).toBe(25_000);
    const batches = await server.em().execute<{ batch: number; rows_applied: number }[]>(
      'select batch, rows_applied from import_merge_batch where job_id = (select id from import_job where org_id = ? order by id desc limit 1) order by batch',
      [org.orgId],
    );
    expect(batches).toEqual([
      { batch: 0, rows_applied: 10_000 },
      { batch: 1, rows_applied: 10_000 },
      { batch: 2, rows_applied: 5_000 },
    ]);
  });

  it('fails after three automatic retries, keeps what was merged, and replays from there within 7 days', async () => {
    await installFault(server, -1);
    const jobId = await upload(server, org.key, templateId, customersCsv(25_000, '72', storeCode, 15_000));
    const failed = await finishedJob(server, client, org.key, jobId);
    // Loyalty Customers merges two batches at a time: the first run merges batch 0 beside the
    // failing batch 1; the second merges batch 2 beside it; batch 1 never goes in.
    expect(failed).toMatchObject({ state: 'FAILED', attempts: 4, failure: { code: 'JOB_FAILED' }, progress: { batchesMerged: 2, rowsAccepted: 15_000 } });
    // What the database said is for the log, not for the job's clients.
    expect(failed.failure?.message).toMatch(/^The import failed 4 times with an internal error \(the server log has the detail, under import \d+\)/);
    expect(failed.failure?.message).not.toContain('simulated outage');
    expect(Date.parse(failed.replayableUntil!)).toBe(clock.now().getTime() + 7 * DAY_MS);
    expect(await countCustomers(server, org.orgId, '72')).toBe(15_000);

    await removeFault(server);
    clock.advance(6 * DAY_MS);
    const replay = await typedRequest(client, ImportReplayDocument, { input: { id: jobId } });
    expect(replay.data?.importReplay.userErrors).toEqual([]);
    const done = await finishedJob(server, client, org.key, jobId);
    expect(done).toMatchObject({ state: 'COMPLETED', attempts: 0, progress: { rowsAccepted: 25_000, batchesMerged: 3 } });
    expect(await countCustomers(server, org.orgId, '72')).toBe(25_000);

    const again = await typedRequest(client, ImportReplayDocument, { input: { id: jobId } });
    expect(again.data?.importReplay.userErrors.map((error) => error.code)).toEqual(['IMPORT_NOT_REPLAYABLE']);
  });

  it('refuses a replay on day 8', async () => {
    await installFault(server, -1);
    const jobId = await upload(server, org.key, templateId, customersCsv(12_000, '73', storeCode, 11_000));
    const failed = await finishedJob(server, client, org.key, jobId);
    await removeFault(server);
    expect(failed.state).toBe('FAILED');
    clock.advance(8 * DAY_MS);
    const replay = await typedRequest(client, ImportReplayDocument, { input: { id: jobId } });
    expect(replay.data?.importReplay.userErrors).toEqual([
      expect.objectContaining({ code: 'IMPORT_REPLAY_WINDOW_CLOSED', field: ['input', 'id'] }),
    ]);
    expect((await jobDetails(client, jobId)).state).toBe('FAILED');
  });

  it('never replays a job whose file was bad', async () => {
    const jobId = await upload(server, org.key, templateId, 'Mobile,First Name\n6574000001,Tom\n');
    const failed = await finishedJob(server, client, org.key, jobId);
    expect(failed.failure?.code).toBe('FILE_MISSING_HEADERS');
    const replay = await typedRequest(client, ImportReplayDocument, { input: { id: jobId } });
    expect(replay.data?.importReplay.userErrors.map((error) => error.code)).toEqual(['IMPORT_NOT_REPLAYABLE']);
  });
});

describe('import jobs: restarts and worker processes', () => {
  let redis: RedisServer | undefined;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await redis?.stop();
  });

  /** `npm run worker` as its own process, on the test server's database. */
  function startWorker(server: TestServer, env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, npmScriptNodeArgs('worker'), {
      env: { ...process.env, DATABASE_URL: server.databaseUrl, IMPORT_WORKERS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Worker ready')) resolve(child);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`The worker exited (${code}):\n${output}`)));
    });
  }

  /** Stops the server (keeping its database) once the job is merging and at least one batch is in. */
  async function stopWhileMerging(server: TestServer, client: GqlClient, jobId: string): Promise<void> {
    for (;;) {
      const job = await jobDetails(client, jobId);
      if (job.state === 'MERGING' && job.progress.batchesMerged >= 1) break;
      expect(['QUEUED', 'PARSING', 'VALIDATING', 'STAGED', 'MERGING']).toContain(job.state);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await server.stop({ keepDatabase: true });
  }

  it('finishes a job after the server restarts in the middle of it, applying no row twice', async () => {
    const first = await startTestServer();
    const { org, client, templateId, storeCode } = await setUp(first);
    const jobId = await upload(first, org.key, templateId, customersCsv(80_000, '75', storeCode));
    await stopWhileMerging(first, client, jobId);

    const second = await startTestServer({ database: first.database });
    try {
      const again = gqlClient(second.url, org.key);
      const interrupted = await jobDetails(again, jobId);
      expect(interrupted.state).toBe('MERGING');
      expect(interrupted.progress.batchesMerged).toBeLessThan(8);
      const done = await finishedJob(second, again, org.key, jobId);
      expect(done).toMatchObject({ state: 'COMPLETED', attempts: 0, progress: { rowsAccepted: 80_000, batchesMerged: 8, rowsRejected: 0 } });
      expect(await countCustomers(second, org.orgId, '75')).toBe(80_000);
    } finally {
      await second.stop();
    }
  });

  it('resumes a merge an earlier version began (a block of customer ids, no owners of external ids), enrolling every new customer once', async () => {
    const first = await startTestServer();
    const { org, client, storeCode } = await setUp(first);
    const templateId = await customersTemplate(client, undefined, [{ header: 'External Id', field: 'externalId' }]);
    // The file's last two rows update customers of the org: one holds its row's external id already, one has none.
    await createCustomer(first.em(), org, { mobile: '6574079999', externalIds: ['X-79999'] });
    await createCustomer(first.em(), org, { mobile: '6574080000' });
    const jobId = await upload(first, org.key, templateId, customersWithExternalIdsCsv(80_000, '74', storeCode));
    await stopWhileMerging(first, client, jobId);
    // The job's tables as an earlier version left them: a table of the customers' block of ids
    // (the merge now draws ids batch by batch, and leaves it be), and no table of the external
    // ids' owners (the merge finds them itself).
    const id = Number(Buffer.from(jobId, 'base64url').toString().split(':')[1]);
    const db = new pg.Client({ connectionString: first.databaseUrl });
    await db.connect();
    try {
      await db.query(`create table import_stage.job_${id}_ids (first_new_id bigint not null)`);
      await db.query(`insert into import_stage.job_${id}_ids select max(id) + 1 from customer`);
      await db.query(`drop table import_stage.job_${id}_owners`);
    } finally {
      await db.end();
    }

    const second = await startTestServer({ database: first.database });
    try {
      const again = gqlClient(second.url, org.key);
      const done = await finishedJob(second, again, org.key, jobId);
      expect(done).toMatchObject({ state: 'COMPLETED', attempts: 0, progress: { rowsAccepted: 80_000, batchesMerged: 8, rowsRejected: 0 } });
      const [enrolled] = await second.em().execute<{ customers: number; enrolments: number }[]>(
        `select count(distinct c.id)::int as customers, count(e.id)::int as enrolments
           from customer c left join loyalty_enrollment e on e.customer_id = c.id where c.org_id = ? and c.mobile like '6574%'`,
        [org.orgId],
      );
      expect(enrolled).toEqual({ customers: 80_000, enrolments: 80_000 });
      // Every customer holds its row's external id, once: the existing one without any got it.
      const [held] = await second.em().execute<{ ids: number; customers: number; own: boolean }[]>(
        `select count(*)::int as ids, count(distinct c.id)::int as customers, bool_and(x.value = 'X-' || right(c.mobile, 6)::int) as own
           from customer c join customer_external_id x on x.customer_id = c.id where c.org_id = ? and c.mobile like '6574%'`,
        [org.orgId],
      );
      expect(held).toEqual({ ids: 80_000, customers: 80_000, own: true });
      // The earlier version's table went with the job's other tables.
      const [left] = await second.em().execute<{ ids: string | null }[]>('select to_regclass(?) as ids', [`import_stage.job_${id}_ids`]);
      expect(left.ids).toBeNull();
    } finally {
      await second.stop();
    }
  });

  it.each(['PostgreSQL LISTEN/NOTIFY', 'Redis'])('shows a watcher on the API server a job run by a worker process (events over %s)', async (transport) => {
    if (transport === 'Redis') redis ??= await startRedis();
    const redisUrl = transport === 'Redis' ? redis!.url : undefined;
    // This server runs no imports itself: only the worker process can.
    const server = await startTestServer({ importWorkers: 0, redisUrl });
    try {
      const { org, client, templateId, storeCode } = await setUp(server);
      const jobId = await upload(server, org.key, templateId, customersCsv(20_000, transport === 'Redis' ? '77' : '76', storeCode));
      const ws = wsClient(server.wsUrl, org.key);
      const watching = watchProgress(ws, jobId);
      const queued = await jobDetails(client, jobId);
      expect(queued.state).toBe('QUEUED');
      const worker = await startWorker(server, redisUrl ? { REDIS_URL: redisUrl } : {});
      const seen = await watching;
      await ws.dispose();
      expect(seen.map((progress) => progress.state)).toEqual(expect.arrayContaining(['QUEUED', 'PARSING', 'MERGING', 'COMPLETED']));
      expect(seen.at(-1)).toMatchObject({ state: 'COMPLETED', rowsAccepted: 20_000 });
      worker.kill('SIGTERM');
    } finally {
      await server.stop();
    }
  });

  it('cancels a job that is still queued at once', async () => {
    const server = await startTestServer({ importWorkers: 0 });
    try {
      const { org, client, templateId, storeCode } = await setUp(server);
      const jobId = await upload(server, org.key, templateId, customersCsv(10, '78', storeCode));
      const cancelled = await typedRequest(client, ImportCancelDocument, { input: { id: jobId } });
      expect(cancelled.data?.importCancel).toEqual({ job: { id: jobId, state: 'CANCELLED' }, userErrors: [] });
      const worker = await startWorker(server);
      // The worker picks the queued entry up and leaves the cancelled job as it is.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await jobDetails(client, jobId)).state).toBe('CANCELLED');
      expect(await countCustomers(server, org.orgId, '78')).toBe(0);
      worker.kill('SIGTERM');
    } finally {
      await server.stop();
    }
  });
});
