import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../src/app/jobs/queue.js';
import { gqlClient, wsClient, type GqlClient } from './support/client.js';
import { customersTemplate, jobDetails, watchProgress } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

/*
 * A job whose every retry lost its worker lands on the dead-letter queue, whose worker fails it
 * (replayable). Its watchers must see that end like any other: the event carries the failed job.
 */

function localId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

describe('an import whose every retry lost its worker', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let boss: PgBoss | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await server?.stop();
  });

  it('is failed by the dead-letter worker, and its watchers see it FAILED', async () => {
    const templateId = await customersTemplate(client);
    // A job some worker was running when it died: no queue entry of its own any more.
    const em = server.em();
    const [file] = await em.execute<{ id: string }[]>(`insert into import_file (org_id, name, size_bytes, complete, created_at) values (?, 'lost.csv', 0, true, now()) returning id`, [org.orgId]);
    const [job] = await em.execute<{ id: string }[]>(
      `insert into import_job (org_id, template_id, template_name, profile, mapping, options, file_id, state, created_by, created_at, updated_at)
         select org_id, id, name, profile, mapping, options, ?, 'MERGING', 'test', now(), now() from import_template where id = ? returning id`,
      [file.id, localId(templateId)],
    );
    const jobId = Buffer.from(`ImportJob:${job.id}`).toString('base64url');

    const ws = wsClient(server.wsUrl, org.key);
    try {
      const watching = watchProgress(ws, jobId);
      // The watcher has its first snapshot (MERGING) before the job ends.
      while ((await jobDetails(client, jobId)).state !== 'MERGING') await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
      boss = new PgBoss({ connectionString: server.databaseUrl, schema: 'pgboss', supervise: false, schedule: false });
      await boss.start();
      await boss.send(QUEUE.IMPORT_DEAD, { importJobId: Number(job.id), orgId: org.orgId, startedBy: 'test' });

      const seen = await Promise.race([
        watching,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('The watcher never saw the job end')), 30_000)),
      ]);
      expect(seen.map((progress) => progress.state)).toEqual(['MERGING', 'FAILED']);
    } finally {
      await ws.dispose();
    }
    const failed = await jobDetails(client, jobId);
    expect(failed).toMatchObject({ state: 'FAILED', failure: { code: 'JOB_FAILED' } });
    expect(failed.replayableUntil).not.toBeNull();
  });
});
