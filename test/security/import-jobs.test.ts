import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoodwillPointsIssueDocument } from '../generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from '../support/client.js';
import { csv, customersTemplate, finishedJob, jobDetails, storeCodeOf, type JobDetails } from '../support/imports.js';
import { npmScriptNodeArgs } from '../support/npm-scripts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/world.js';

/*
 * Import jobs against faults and neighbours: a job never stays in a state nobody leaves (a failed
 * final write, a queue entry taken by a runner that found the job busy), one org's import never
 * holds up another org's writes, and a job whose worker died is picked up again within 30 s.
 */

const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

interface Tenant {
  readonly org: TestOrg;
  readonly client: GqlClient;
  readonly templateId: string;
  readonly storeCode: string;
}

async function tenant(server: TestServer): Promise<Tenant> {
  const org = await createOrg(server.em());
  const client = gqlClient(server.url, org.key);
  return { org, client, storeCode: await storeCodeOf(server, org), templateId: await customersTemplate(client) };
}

/** `count` customers with mobiles `65<prefix><row>`. */
function customersCsv(count: number, prefix: string, storeCode: string): string {
  const rows: string[][] = [['Mobile', 'First Name', 'Store']];
  for (let i = 1; i <= count; i++) rows.push([`65${prefix}${String(i).padStart(6, '0')}`, 'Tom', storeCode]);
  return csv(rows);
}

async function upload(server: TestServer, key: string, templateId: string, body: string): Promise<string> {
  const response = await fetch(`${new URL(server.url).origin}/imports?templateId=${templateId}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
  expect(response.status).toBe(202);
  return ((await response.json()) as { job: { id: string } }).job.id;
}

function databaseIdOf(jobId: string): number {
  return Number(Buffer.from(jobId, 'base64url').toString().split(':')[1]);
}

async function countCustomers(server: TestServer, orgId: number, prefix: string): Promise<number> {
  const rows = await server.em().execute<{ n: number }[]>(`select count(*)::int as n from customer where org_id = ? and mobile like ?`, [orgId, `65${prefix}%`]);
  return rows[0].n;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the job until `done` says so or `timeoutMs` passes; returns the last details seen. */
async function pollJob(client: GqlClient, jobId: string, done: (job: JobDetails) => boolean, timeoutMs: number, everyMs = 100): Promise<JobDetails> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobDetails(client, jobId);
    if (done(job) || Date.now() > deadline) return job;
    await sleep(everyMs);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('import jobs: no job is left in a state nobody can leave', () => {
  let server: TestServer;
  let a: Tenant;

  beforeAll(async () => {
    server = await startTestServer();
    a = await tenant(server);
  });
  afterAll(() => server?.stop());

  /**
   * The next `failures` writes of a terminal state to the org's jobs fail (a sequence counts them:
   * it is not rolled back with the failed write).
   */
  async function failFinalWrites(orgId: number, failures: number): Promise<void> {
    const em = server.em();
    await em.execute('drop sequence if exists final_write_faults');
    await em.execute('create sequence final_write_faults');
    await em.execute(`create or replace function final_write_fault() returns trigger language plpgsql as $$
      begin
        if new.org_id = ${orgId} and new.state in ('COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED') and new.state is distinct from old.state
           and nextval('final_write_faults') <= ${failures} then
          raise exception 'simulated outage while recording the end of the job';
        end if;
        return new;
      end $$`);
    await em.execute('drop trigger if exists final_write_fault on import_job');
    await em.execute('create trigger final_write_fault before update on import_job for each row execute function final_write_fault()');
  }

  async function removeFault(): Promise<void> {
    await server.em().execute('drop trigger if exists final_write_fault on import_job');
  }

  it('completes a job whose final state write failed once, applying every row once', async () => {
    await failFinalWrites(a.org.orgId, 1);
    try {
      const jobId = await upload(server, a.org.key, a.templateId, customersCsv(12_000, '81', a.storeCode));
      const job = await pollJob(a.client, jobId, (seen) => TERMINAL.includes(seen.state), 45_000);
      expect(job).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 12_000, batchesMerged: 2 } });
      const [faults] = await server.em().execute<{ n: string }[]>('select last_value as n from final_write_faults');
      expect(Number(faults.n)).toBeGreaterThanOrEqual(1);
      expect(await countCustomers(server, a.org.orgId, '81')).toBe(12_000);
    } finally {
      await removeFault();
    }
  });

  it('records the failure of a job whose FAILED write failed once', async () => {
    await failFinalWrites(a.org.orgId, 1);
    try {
      const jobId = await upload(server, a.org.key, a.templateId, 'Mobile,First Name\n6582000001,Tom\n');
      const job = await pollJob(a.client, jobId, (seen) => TERMINAL.includes(seen.state), 45_000);
      expect(job).toMatchObject({ state: 'FAILED', failure: { code: 'FILE_MISSING_HEADERS' } });
    } finally {
      await removeFault();
    }
  });

  it('leaves the queue entry to be run again when the runner finds the job held by another', async () => {
    // Another runner (here: the test) holds the job's run lock when the queue entry arrives.
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ next: string }>(`select nextval(pg_get_serial_sequence('import_job', 'id')) + 1 as next`);
      const expectedId = Number(rows[0].next);
      await db.query('select pg_advisory_lock(7411, $1::int)', [expectedId]);
      const jobId = await upload(server, a.org.key, a.templateId, customersCsv(100, '83', a.storeCode));
      expect(databaseIdOf(jobId)).toBe(expectedId);
      await sleep(3_000);
      expect((await jobDetails(a.client, jobId)).state).toBe('QUEUED');
      // The holder goes away without running it: the job must still run.
      await db.query('select pg_advisory_unlock(7411, $1::int)', [expectedId]);
      const job = await pollJob(a.client, jobId, (seen) => TERMINAL.includes(seen.state), 40_000);
      expect(job).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 100 } });
    } finally {
      await db.end();
    }
  });
});

describe("import jobs: one org's import never holds up another org", () => {
  let server: TestServer;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    server = await startTestServer();
    a = await tenant(server);
    b = await tenant(server);
    await createCustomer(server.em(), b.org, { mobile: '6591230001' });
  });
  afterAll(() => server?.stop());

  async function goodwill(): Promise<number> {
    const started = performance.now();
    const response = await typedRequest(b.client, GoodwillPointsIssueDocument, {
      input: { customer: { type: 'MOBILE', value: '6591230001' }, points: 10, reason: 'Sorry', idempotencyKey: crypto.randomUUID() },
    });
    expect(response.data?.goodwillPointsIssue.userErrors).toEqual([]);
    return performance.now() - started;
  }

  async function goodwillMedian(): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) times.push(await goodwill());
    return median(times);
  }

  let imports = 0;
  async function smallImport(): Promise<{ ms: number; jobId: string }> {
    imports += 1;
    const started = performance.now();
    const jobId = await upload(server, b.org.key, b.templateId, customersCsv(1_000, `9${imports}`, b.storeCode));
    const job = await finishedJob(server, b.client, b.org.key, jobId);
    expect(job).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 1_000 } });
    return { ms: performance.now() - started, jobId };
  }

  it("imports org B's customers while another org's customer write stays open, and holds up no other write meanwhile", async () => {
    const c = await createOrg(server.em());
    const other = await createCustomer(server.em(), c, { mobile: '6591230002' });
    const bystanders = await createCustomer(server.em(), c, { mobile: '6591230003' });
    const writer = new pg.Client({ connectionString: server.databaseUrl });
    const bystander = new pg.Client({ connectionString: server.databaseUrl });
    await writer.connect();
    await bystander.connect();
    try {
      // Org C's long transaction has changed one of its customers and not committed yet.
      await writer.query('begin');
      await writer.query('update customer set first_name = $2 where id = $1', [other, 'Long']);
      const jobId = await upload(server, b.org.key, b.templateId, customersCsv(1_000, '86', b.storeCode));
      // Meanwhile a third connection keeps writing customers and enrolments; none may wait.
      await bystander.query(`set lock_timeout = '3s'`);
      const writes = (async () => {
        for (let i = 0; i < 20; i++) {
          await bystander.query('update customer set updated_at = now() where id = $1', [bystanders]);
          await bystander.query('update loyalty_enrollment set enrolled_at = enrolled_at where customer_id = $1', [bystanders]);
          await sleep(100);
        }
      })();
      const [job] = await Promise.all([pollJob(b.client, jobId, (seen) => TERMINAL.includes(seen.state), 30_000), writes]);
      expect(job).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 1_000 } });
      expect(await countCustomers(server, b.org.orgId, '86')).toBe(1_000);
    } finally {
      await writer.query('rollback').catch(() => undefined);
      await writer.end();
      await bystander.end();
    }
  });

  it("lets org B issue goodwill and import customers at an idle server's pace while org A merges 200,000 customers", { timeout: 300_000 }, async () => {
    // Idle: warm up, then measure.
    await goodwill();
    await smallImport();
    const idleGoodwill = await goodwillMedian();
    const idleImport = Math.min((await smallImport()).ms, (await smallImport()).ms);

    const big = await upload(server, a.org.key, a.templateId, customersCsv(200_000, '84', a.storeCode));
    const merging = await pollJob(a.client, big, (seen) => seen.state === 'MERGING' || TERMINAL.includes(seen.state), 120_000, 50);
    expect(merging.state).toBe('MERGING');

    const busyGoodwill = await goodwillMedian();
    // Measured as the idle pace was, the better of two, so that one slow scheduling slice on a
    // 2-core machine shared with A's merge is not taken for a wait on A.
    const busyImport = Math.min((await smallImport()).ms, (await smallImport()).ms);
    const aWhenBDone = await jobDetails(a.client, big);

    // B's imports finished while A's was still merging.
    expect(aWhenBDone.state).toBe('MERGING');
    // Within twice an idle server's time, plus a little for a shared 2-core machine. A wait on
    // A's merge would take as long as the merge: many seconds, far over either bound.
    expect(busyGoodwill).toBeLessThan(2 * idleGoodwill + 50);
    expect(busyImport).toBeLessThan(2 * idleImport + 250);

    const done = await finishedJob(server, a.client, a.org.key, big);
    expect(done).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 200_000 } });
    expect(await countCustomers(server, a.org.orgId, '84')).toBe(200_000);
    // Its five imports, and the customer of the goodwill issues.
    expect(await countCustomers(server, b.org.orgId, '9')).toBe(5_001);
  });
});

describe('import jobs: a job whose worker died', () => {
  const children: ChildProcess[] = [];

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  /** `npm run worker` as its own process, on the test server's database. */
  function startWorker(server: TestServer, name: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, npmScriptNodeArgs('worker'), {
      // Its database sessions carry its name: the test finds which worker runs the job.
      env: { ...process.env, DATABASE_URL: server.databaseUrl, IMPORT_WORKERS: '1', PGAPPNAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Worker ready')) resolve(child);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`The worker exited (${code}):\n${output}`)));
    });
  }

  it('is picked up again within 30 s of its process dying mid-merge, applying no row twice', { timeout: 240_000 }, async () => {
    // The API server runs no imports: the worker processes do.
    const server = await startTestServer({ importWorkers: 0 });
    try {
      const a = await tenant(server);
      // Two workers: one runs the job, the other is there to take it over.
      const workers = new Map([
        ['import-worker-1', await startWorker(server, 'import-worker-1')],
        ['import-worker-2', await startWorker(server, 'import-worker-2')],
      ]);
      const jobId = await upload(server, a.org.key, a.templateId, customersCsv(120_000, '85', a.storeCode));
      const merging = await pollJob(a.client, jobId, (seen) => (seen.state === 'MERGING' && seen.progress.batchesMerged >= 1) || TERMINAL.includes(seen.state), 120_000, 20);
      expect(merging.state).toBe('MERGING');
      // The worker holding the job's run lock dies.
      const [holder] = await server.em().execute<{ name: string }[]>(
        `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.classid = 7411 and l.objid = ? and l.granted`,
        [databaseIdOf(jobId)],
      );
      expect(workers.has(holder?.name)).toBe(true);
      workers.get(holder.name)!.kill('SIGKILL');
      const killedAt = Date.now();
      // Picked up: someone writes its progress again (a dead process writes nothing after a moment).
      const resumed = await pollJob(a.client, jobId, (seen) => TERMINAL.includes(seen.state) || Date.parse(seen.progress.updatedAt) > killedAt + 1_000, 90_000, 250);
      const waited = Date.now() - killedAt;
      expect(TERMINAL.includes(resumed.state) || Date.parse(resumed.progress.updatedAt) > killedAt + 1_000).toBe(true);
      expect(waited).toBeLessThan(30_000);
      const done = await finishedJob(server, a.client, a.org.key, jobId);
      expect(done).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 120_000, rowsRejected: 0 } });
      expect(await countCustomers(server, a.org.orgId, '85')).toBe(120_000);
    } finally {
      await server.stop();
    }
  });
});
