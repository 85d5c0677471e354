import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient } from '../support/client.js';
import { customersTemplate, finishedJob, storeCodeOf } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

const ROWS = 60_000;
const IDLE_MS = 2_000;

describe('a report reader that stops reading', () => {
  let server: TestServer;
  let org: TestOrg;
  let origin: string;

  beforeAll(async () => {
    // One download at a time, so a stalled reader would shut everyone else out.
    server = await startTestServer({ importReportDownloads: 1, config: { importReportIdleMs: IDLE_MS } });
    org = await createOrg(server.em());
    origin = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  it('is cut off after the idle timeout, and its slot and connection go to the next reader', async () => {
    const client = gqlClient(server.url, org.key);
    const store = await storeCodeOf(server, org);
    const templateId = await customersTemplate(client);
    // A report of ~15 MB: far more than the sockets buffer, so a reader that takes nothing stalls it.
    const note = 'n'.repeat(200);
    const lines = ['Mobile,First Name,Store,Note'];
    for (let i = 1; i <= ROWS; i++) lines.push(`x${i},Ann,${store},${note}`);
    const upload = await fetch(`${origin}/imports?templateId=${encodeURIComponent(templateId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' },
      body: `${lines.join('\n')}\n`,
    });
    const { job } = (await upload.json()) as { job: { id: string } };
    await finishedJob(server, client, org.key, job.id);

    // A client that asks for the report and then reads nothing at all.
    const { port } = new URL(origin);
    const stalled = net.connect(Number(port), '127.0.0.1');
    stalled.pause();
    const cutOff = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    stalled.write(`GET /imports/${job.id}/report.csv HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.key}\r\n\r\n`);
    const asked = Date.now();
    // Close is only seen once the socket's buffered bytes are consumed: drain them once cut.
    stalled.on('end', () => stalled.resume());
    setTimeout(() => stalled.resume(), IDLE_MS * 3).unref();

    // While it holds the only slot, a second reader waits; once the stalled one is cut, it gets it.
    const next = await fetch(`${origin}/imports/${job.id}/report.csv`, { headers: { authorization: `Bearer ${org.key}` } });
    // Served once the stalled reader's slot was freed: timed here, before this process spends
    // seconds of a busy machine reading 15 MB, which would delay the stalled socket's close event.
    const servedAt = Date.now();
    expect(next.status).toBe(200);
    expect(servedAt - asked).toBeLessThan(IDLE_MS * 3 + 2_000);
    expect((await next.text()).split('\n').length).toBeGreaterThan(ROWS);
    // And the stalled socket itself was closed (the test's timeout bounds the wait).
    await cutOff;
    const readers = await server.em().execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where query ilike 'copy%to stdout%' and state <> 'idle'`);
    expect(readers[0].n).toBe(0);
  });
});
