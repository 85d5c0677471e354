import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelDocument, ImportErrorsWatchDocument, ImportProgressWatchDocument } from './generated/graphql.js';
import { gqlClient, typedRequest, wsClient, type GqlClient } from './support/client.js';
import { customersTemplate, storeCodeOf, csv, finishedJob, jobDetails, startInlineImport, watchProgress, type Progress } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

/*
 * Watching imports live over graphql-ws: progress from the first snapshot to the terminal one,
 * watchers that arrive late or after the end, row errors streamed in batches, cancellation.
 */

interface ErrorBatch {
  jobId: string;
  errors: { row: number; code: string }[];
}

function watchErrors(client: Client, jobId: string): Promise<ErrorBatch[]> {
  return new Promise((resolve, reject) => {
    const batches: ErrorBatch[] = [];
    client.subscribe<{ importErrors: ErrorBatch }>(
      { query: print(ImportErrorsWatchDocument), variables: { jobId } },
      {
        next: (value) => (value.errors ? reject(new Error(JSON.stringify(value.errors))) : value.data && batches.push(value.data.importErrors)),
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(batches),
      },
    );
  });
}

/** The first message of a subscription (or its error), then unsubscribes. */
function firstMessage(client: Client, query: string, variables: Record<string, unknown>): Promise<{ data?: unknown; errors?: unknown }> {
  return new Promise((resolve) => {
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          resolve(value as { data?: unknown; errors?: unknown });
          unsubscribe();
        },
        error: (error: unknown) => resolve({ errors: error }),
        complete: () => undefined,
      },
    );
  });
}

describe('watching imports live', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let ws: Client;
  let templateId: string;
  let storeCode: string;

  /** `count` rows; every `badEvery`-th has an unknown store. */
  function rows(count: number, prefix: string, badEvery = 0): string {
    const lines: (string | number)[][] = [['Mobile', 'First Name', 'Store']];
    for (let i = 1; i <= count; i++) lines.push([`65${prefix}${String(i).padStart(6, '0')}`, 'Tom', badEvery && i % badEvery === 0 ? 'nowhere' : storeCode]);
    return csv(lines);
  }

  async function upload(body: string): Promise<string> {
    const response = await fetch(`${new URL(server.url).origin}/imports?templateId=${templateId}`, { method: 'POST', headers: { authorization: `Bearer ${org.key}` }, body });
    return ((await response.json()) as { job: { id: string } }).job.id;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    ws = wsClient(server.wsUrl, org.key);
    storeCode = await storeCodeOf(server, org);
    templateId = await customersTemplate(client);
  });
  afterAll(async () => {
    await ws?.dispose();
    await server?.stop();
  });

  it('streams the current state first, then every phase in order, at most every 250 ms, ending with the terminal state', async () => {
    const jobId = await upload(rows(25_000, '81', 100));
    const seen = await watchProgress(ws, jobId);
    const states = seen.map((progress) => progress.state);
    // Each phase shows up, in the machine's order (the first message may already be past QUEUED).
    const order = ['QUEUED', 'PARSING', 'VALIDATING', 'STAGED', 'MERGING', 'COMPLETED_WITH_ERRORS'];
    const phases = states.filter((state, index) => state !== states[index - 1]);
    expect(phases).toEqual(order.slice(order.indexOf(phases[0])));
    expect(phases).toContain('MERGING');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'COMPLETED_WITH_ERRORS', rowsRead: 25_000, rowsRejected: 250, rowsAccepted: 24_750, batchesMerged: 3, batchesTotal: 3, etaSeconds: 0 });
    expect(last.rowsPerSecond).toBeGreaterThan(0);
    // Counters never go back within a phase.
    for (let i = 1; i < seen.length; i++) {
      if (seen[i].state === seen[i - 1].state) expect(seen[i].rowsRead).toBeGreaterThanOrEqual(seen[i - 1].rowsRead);
    }
    // Throttled: snapshots of one phase are at least ~250 ms apart (phase changes are sent at once).
    const times = seen.map((progress) => Date.parse(progress.updatedAt));
    for (let i = 1; i < seen.length; i++) {
      if (seen[i].state === seen[i - 1].state && seen[i].state !== last.state) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(200);
    }
    // Date-times are in the org's zone (Asia/Singapore).
    expect(last.updatedAt).toMatch(/\+08:00$/);
  });

  it('gives a watcher arriving after the end the terminal state at once, and completes', async () => {
    const jobId = await startInlineImport(client, templateId, rows(3, '82'));
    await finishedJob(server, client, org.key, jobId);
    const late = await watchProgress(ws, jobId);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ jobId, state: 'COMPLETED', rowsRead: 3, rowsAccepted: 3 });
  });

  it('gives a watcher joining mid-run where the job is, then the rest', async () => {
    const jobId = await upload(rows(25_000, '83'));
    // Wait until the job is running, then join.
    for (;;) {
      const job = await jobDetails(client, jobId);
      if (job.state !== 'QUEUED') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const joined = await watchProgress(wsClient(server.wsUrl, org.key), jobId);
    expect(joined[0].state).not.toBe('QUEUED');
    expect(joined.at(-1)).toMatchObject({ state: 'COMPLETED', rowsAccepted: 25_000 });
  });

  it('streams row errors in batches as they are found, every one exactly once, and completes at the end', async () => {
    const jobId = await upload(rows(3_000, '84', 3));
    const [batches, progress] = await Promise.all([watchErrors(ws, jobId), watchProgress(wsClient(server.wsUrl, org.key), jobId)]);
    const errors = batches.flatMap((batch) => batch.errors);
    expect(errors).toHaveLength(1_000);
    expect(new Set(errors.map((error) => error.row)).size).toBe(1_000);
    expect(errors.every((error) => error.code === 'STORE_UNKNOWN')).toBe(true);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((batch) => batch.jobId === jobId)).toBe(true);
    expect(progress.at(-1)?.rowsRejected).toBe(1_000);

    // A late watcher gets every error found, then completes.
    const again = await watchErrors(ws, jobId);
    expect(again.flatMap((batch) => batch.errors).map((error) => error.row)).toEqual(errors.map((error) => error.row));
  });

  it('streams errors that two batches merging side by side find, none skipped when the later batch commits first', async () => {
    const em = server.em();
    // Rows 2 (batch 1 of 2) and 10,002 (batch 2) get mobiles someone registers as merging starts:
    // both batches, merged side by side, refuse a row at merge time.
    const taken = ['6587000002', '6587010002'];
    await em.execute(`create or replace function import_race_two() returns trigger language plpgsql as $$
      begin
        insert into customer (org_id, first_name, mobile, created_at, updated_at)
          select ${org.orgId}, 'Walk-in', m, now(), now() from unnest(array['${taken.join("','")}']) as m
          where not exists (select 1 from customer where org_id = ${org.orgId} and mobile = m);
        return new;
      end $$`);
    await em.execute(`create trigger import_race_two after update of state on import_job for each row when (new.state = 'MERGING') execute function import_race_two()`);
    // The second batch is held up for 0.5 s (at its first new customer), so the first batch draws
    // the first error id; that error then takes 1.5 s to insert. Without the order kept between
    // batches, the second batch's error would commit, and be streamed, before it: and be skipped.
    await em.execute(`create or replace function import_slow() returns trigger language plpgsql as $$
      begin perform pg_sleep(tg_argv[0]::float); return new; end $$`);
    await em.execute(`create trigger import_slow_batch before insert on customer for each row when (new.mobile = '6587010001') execute function import_slow('0.5')`);
    await em.execute(`create trigger import_slow_issue before insert on import_row_issue for each row when (new.row = 2 and new.kind = 'ERROR') execute function import_slow('1.5')`);
    try {
      const jobId = await upload(rows(20_000, '87'));
      const batches = await watchErrors(ws, jobId);
      const job = await jobDetails(client, jobId);
      expect(job.state).toBe('COMPLETED_WITH_ERRORS');
      expect(job.progress).toMatchObject({ rowsRejected: 2, rowsAccepted: 19_998 });
      const streamed = batches.flatMap((batch) => batch.errors).map((error) => [error.row, error.code]);
      expect(streamed).toEqual([
        [2, 'MOBILE_BELONGS_TO_OTHER_CUSTOMER'],
        [10_002, 'MOBILE_BELONGS_TO_OTHER_CUSTOMER'],
      ]);
    } finally {
      await em.execute('drop trigger if exists import_race_two on import_job');
      await em.execute('drop trigger if exists import_slow_batch on customer');
      await em.execute('drop trigger if exists import_slow_issue on import_row_issue');
    }
  });

  it("refuses to stream another org's job, or one that does not exist", async () => {
    const jobId = await startInlineImport(client, templateId, rows(1, '85'));
    const stranger = await createOrg(server.em());
    const strangerWs = wsClient(server.wsUrl, stranger.key);
    try {
      for (const id of [jobId, 'not-an-id']) {
        const answer = await firstMessage(strangerWs, print(ImportProgressWatchDocument), { jobId: id });
        expect(JSON.stringify(answer.errors)).toContain('No import job with this id in your org');
      }
    } finally {
      await strangerWs.dispose();
    }
  });

  it('cancels a running job at its next safe point; an ended job cannot be cancelled', async () => {
    // Enough rows to be read for seconds, even on a fast machine: the job is caught while reading.
    const jobId = await upload(rows(400_000, '86'));
    const watching = watchProgress(wsClient(server.wsUrl, org.key), jobId);
    for (;;) {
      const job = await jobDetails(client, jobId);
      if (job.state === 'PARSING' && job.progress.rowsRead > 0) break;
      expect(['QUEUED', 'PARSING']).toContain(job.state);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const cancelled = await typedRequest(client, ImportCancelDocument, { input: { id: jobId } });
    expect(cancelled.data?.importCancel.userErrors).toEqual([]);
    const seen: Progress[] = await watching;
    expect(seen.at(-1)?.state).toBe('CANCELLED');
    // Cancelled while reading, before any batch was merged: nothing of the file is in the main tables.
    expect(seen.some((progress) => progress.state === 'MERGING')).toBe(false);
    const count = await server.em().execute<{ n: number }[]>(`select count(*)::int as n from customer where org_id = ? and mobile like '6586%'`, [org.orgId]);
    expect(count[0].n).toBe(0);

    const again = await typedRequest(client, ImportCancelDocument, { input: { id: jobId } });
    expect(again.data?.importCancel.userErrors.map((error) => error.code)).toEqual(['IMPORT_NOT_CANCELLABLE']);
  });
});
