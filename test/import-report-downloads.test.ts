import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, type GqlClient } from './support/client.js';
import { customersTemplate, finishedJob, storeCodeOf } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

/*
 * Report downloads hold a database connection while they stream, so a process streams a few at
 * a time (here one): another waits a few seconds, then gets 503 with Retry-After. A client that
 * goes away mid-download gives its slot back.
 */

const ROWS = 60_000;

describe('import report downloads', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer({ importReportDownloads: 1 });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    origin = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  function report(jobId: string): Promise<Response> {
    return fetch(`${origin}/imports/${jobId}/report.csv`, { headers: { authorization: `Bearer ${org.key}` } });
  }

  it('streams one report at a time, answers 503 to the next after a wait, and frees the slot when a client goes away', async () => {
    const store = await storeCodeOf(server, org);
    const templateId = await customersTemplate(client);
    // A report of ~15 MB: far more than the sockets buffer, so a client that does not read holds the download open.
    const note = 'n'.repeat(200);
    const lines = ['Mobile,First Name,Store,Note'];
    for (let i = 1; i <= ROWS; i++) lines.push(`x${i},Ann,${store},${note}`);
    const upload = await fetch(`${origin}/imports?templateId=${encodeURIComponent(templateId)}&fileName=big.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' },
      body: `${lines.join('\n')}\n`,
    });
    const { job } = (await upload.json()) as { job: { id: string } };
    const done = await finishedJob(server, client, org.key, job.id);
    expect(done.progress).toMatchObject({ rowsRead: ROWS, rowsRejected: ROWS });

    const holding = await report(job.id);
    expect(holding.status).toBe(200);
    const started = Date.now();
    const refused = await report(job.id);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('REPORTS_BUSY');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);

    // The first client goes away without reading its report: its slot comes free.
    await holding.body?.cancel();
    const next = await report(job.id);
    expect(next.status).toBe(200);
    const text = await next.text();
    expect(text.trimEnd().split('\n')).toHaveLength(ROWS + 1);
  });
});
