import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { print } from 'graphql';
import { ImportErrorsWatchDocument } from '../generated/graphql.js';
import { gqlClient, type GqlClient } from '../support/client.js';
import { createTemplate, csv, finishedJob, startInlineImport, storeCodeOf } from '../support/imports.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

/*
 * A hostile file cannot exhaust the server's memory or read its internals back: row issues keep
 * bounded texts and are written by size as well as count, `importErrors` reads a page only when
 * its client has taken the last, and a job's failure shows a code and a message, never what the
 * database said.
 *
 * Memory is measured on a server run as users run it (`npm start`, a process of its own, on the
 * test database), from /proc: VmHWM is its peak resident set over its whole life, VmRSS the
 * current one. The in-process test server beside it (running no imports) sets the org up.
 */

/** The import bar of `bench:import`: a server importing stays under it. */
const RSS_BAR_MB = 300;
/** Rows of the hostile file: 3 GB of bad cells. */
const HOSTILE_ROWS = 3000;
/** The bad cell: just under the longest record the reader accepts (1 MiB), so every row is read, its cell cut and the row rejected. */
const BAD_CELL_CHARS = 1_000_000;
/** Errors of the watched job. */
const WATCHED_ERRORS = 1_000_000;

function localId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

/** `npm start` on the test server's database, in production mode, with room for a large file. */
function startChild(server: TestServer): Promise<ApiProcess> {
  return startApiProcess(server.databaseUrl, { NODE_ENV: 'production', IMPORT_MAX_FILE_MB: '4096' });
}

/** Streams a CSV of `rows` rows to POST /imports, each with a 1 MB status label, never holding the file. */
function uploadHostileFile(origin: string, key: string, templateId: string, storeCode: string, rows: number): Promise<string> {
  const bad = Buffer.alloc(BAD_CELL_CHARS, 'x');
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}/imports?templateId=${encodeURIComponent(templateId)}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' } });
    request.on('error', reject);
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => (response.statusCode === 202 ? resolve((JSON.parse(body) as { job: { id: string } }).job.id) : reject(new Error(`${response.statusCode}: ${body}`))));
    });
    let row = 0;
    const write = (): void => {
      while (row < rows) {
        row += 1;
        request.write(`65${String(80_000_000 + row)},Tom,${storeCode},`);
        const more = request.write(bad);
        request.write('\n');
        if (!more) {
          request.once('drain', write);
          return;
        }
      }
      request.end();
    };
    request.write('Mobile,First Name,Store,Status\n');
    write();
  });
}

describe('hostile files', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let storeCode: string;
  const children: ApiProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    storeCode = await storeCodeOf(server, org);
  });
  afterAll(async () => {
    for (const child of children) await child.stop();
    await server?.stop();
  });

  it(`keeps the server under ${RSS_BAR_MB} MB through ${HOSTILE_ROWS} rows of 1 MB bad cells, and rejects each row once for its cut cell, the issue's value cut to 256 characters`, async () => {
    const child = await startChild(server);
    children.push(child);
    const templateId = await createTemplate(client, {
      name: 'Hostile',
      profile: 'LOYALTY_CUSTOMERS',
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'First Name', field: 'firstName' },
        { header: 'Store', field: 'storeCode' },
        { header: 'Status', field: 'statusLabel' },
      ],
    });
    const jobId = await uploadHostileFile(child.origin, org.key, templateId, storeCode, HOSTILE_ROWS);
    const job = await finishedJob({ wsUrl: child.wsUrl }, client, org.key, jobId);
    const peakMb = (await child.statusKb('VmHWM')) / 1024;
    await child.stop();

    expect(job).toMatchObject({ state: 'COMPLETED_WITH_ERRORS', progress: { rowsRead: HOSTILE_ROWS, rowsRejected: HOSTILE_ROWS } });
    expect(peakMb).toBeLessThan(RSS_BAR_MB);
    const [stored] = await server.em().execute<{ n: number; value: number; cut: number }[]>(
      `select count(*)::int as n, max(char_length(value))::int as value, count(*) filter (where value like '%…')::int as cut
         from import_row_issue where job_id = ?`,
      [localId(jobId)],
    );
    // One issue a row: the cut cell, whatever the status label check would have said of its start.
    expect(stored).toEqual({ n: HOSTILE_ROWS, value: 256, cut: HOSTILE_ROWS });
    expect(job.errors.nodes[0]).toMatchObject({ code: 'VALUE_TOO_LONG', field: 'statusLabel', value: `${'x'.repeat(255)}…`, message: 'statusLabel is longer than the 32 KB a cell may hold.' });
  }, 600_000);

  it(`keeps the server's memory flat while a client that reads nothing watches a job of ${WATCHED_ERRORS.toLocaleString('en')} errors`, async () => {
    const templateId = await createTemplate(client, {
      name: 'Watched',
      profile: 'LOYALTY_CUSTOMERS',
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'Store', field: 'storeCode' },
        { header: 'Status', field: 'statusLabel' },
      ],
    });
    const jobId = await startInlineImport(client, templateId, csv([['Mobile', 'Store', 'Status'], ['6581000001', storeCode, 'no-such-label']]));
    const child = await startChild(server);
    children.push(child);
    await finishedJob({ wsUrl: child.wsUrl }, client, org.key, jobId);
    // The job's errors beyond its one real row, written straight to the table: an import of a
    // million rejected rows would take minutes, and only what `importErrors` reads matters here.
    const id = localId(jobId);
    await server.em().execute(
      `insert into import_row_issue (job_id, row, line, kind, code, field, value, message)
       select ?, n, n + 1, 'ERROR', 'STATUS_LABEL_UNKNOWN', 'statusLabel', 'label-' || n, 'The org has no status label "label-' || n || '".'
       from generate_series(2, ?) n`,
      [id, WATCHED_ERRORS],
    );

    const socket = new WebSocket(child.wsUrl, 'graphql-transport-ws');
    let pages = 0;
    let received = 0;
    const acked = new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; payload?: { data?: { importErrors: { errors: unknown[] } } } };
        if (message.type === 'connection_ack') resolve();
        if (message.type === 'next') {
          pages += 1;
          received += message.payload?.data?.importErrors.errors.length ?? 0;
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${org.key}` } }));
    await acked;
    const before = await child.statusKb('VmRSS');
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(ImportErrorsWatchDocument), variables: { jobId } } }));
    while (pages === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // From here on the client reads nothing: what the server sends piles up in the sockets' buffers.
    socket.pause();

    let peak = before;
    for (let second = 0; second < 10; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      peak = Math.max(peak, await child.statusKb('VmRSS'));
    }
    const growthMb = (peak - before) / 1024;

    // It still streams once the client reads again.
    socket.resume();
    const target = received + 5 * 500;
    const deadline = Date.now() + 60_000;
    while (received < target && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    socket.terminate();
    await child.stop();

    expect(received).toBeGreaterThanOrEqual(target);
    // Every page of the job read into memory would be hundreds of MB; a page is about 100 KB.
    expect(growthMb).toBeLessThan(40);
  }, 600_000);

  it('shows a job that keeps failing as a code and a message, what the database said only in the log', async () => {
    const child = await startChild(server);
    children.push(child);
    const em = server.em();
    await em.execute(`create or replace function hostile_fault() returns trigger language plpgsql as $$
      begin
        if new.first_name = 'Fail' then raise exception 'secret detail: relation customer_internal_7 violated'; end if;
        return new;
      end $$`);
    await em.execute('create trigger hostile_fault before insert on customer for each row execute function hostile_fault()');
    try {
      const templateId = await createTemplate(client, {
        name: 'Failing',
        profile: 'LOYALTY_CUSTOMERS',
        mapping: [
          { header: 'Mobile', field: 'mobile' },
          { header: 'First Name', field: 'firstName' },
          { header: 'Store', field: 'storeCode' },
        ],
      });
      const jobId = await startInlineImport(client, templateId, csv([['Mobile', 'First Name', 'Store'], ['6582000001', 'Fail', storeCode]]));
      const job = await finishedJob({ wsUrl: child.wsUrl }, client, org.key, jobId);
      expect(job).toMatchObject({ state: 'FAILED', failure: { code: 'JOB_FAILED' } });
      expect(job.failure!.message).toBe(
        `The import failed 4 times with an internal error (the server log has the detail, under import ${localId(jobId)}). Replay it within 7 days of its creation once the cause is fixed.`,
      );
      expect(child.output()).toContain('secret detail: relation customer_internal_7 violated');
    } finally {
      await em.execute('drop trigger if exists hostile_fault on customer');
    }
  }, 120_000);
});
