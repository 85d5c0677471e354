import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { purgeExpiredImports } from '../src/import/import-retention.js';
import { gqlClient, type GqlClient } from './support/client.js';
import { csv, customersTemplate, finishedJob, jobDetails, startInlineImport, storeCodeOf } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

/*
 * Retention: an import's file content and row issues go once the job is older than the retention
 * (a moved clock); the job stays with its counts, and its report is gone (410). Young jobs, and
 * other orgs' jobs when one org is purged, are untouched.
 */

const DAY_MS = 86_400_000;

describe('import retention', () => {
  const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    origin = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  async function stored(jobId: string): Promise<{ chunks: number; issues: number; batches: number }> {
    const id = Number(Buffer.from(jobId, 'base64url').toString().split(':')[1]);
    const [row] = await server.em().execute<{ chunks: string; issues: string; batches: string }[]>(
      `select (select count(*) from import_file_chunk c join import_job j on j.file_id = c.file_id where j.id = ?) as chunks,
              (select count(*) from import_row_issue where job_id = ?) as issues,
              (select count(*) from import_merge_batch where job_id = ?) as batches`,
      [id, id, id],
    );
    return { chunks: Number(row.chunks), issues: Number(row.issues), batches: Number(row.batches) };
  }

  function report(jobId: string): Promise<Response> {
    return fetch(`${origin}/imports/${jobId}/report.csv`, { headers: { authorization: `Bearer ${org.key}` } });
  }

  it('removes the file and row issues of jobs older than the retention, keeps the job and its counts, and the report answers 410', async () => {
    const store = await storeCodeOf(server, org);
    const templateId = await customersTemplate(client);
    const oldId = await startInlineImport(client, templateId, csv([['Mobile', 'First Name', 'Store'], ['6588100001', 'Ann', store], ['6588100002', 'B@d', store]]));
    const old = await finishedJob(server, client, org.key, oldId);
    expect(old).toMatchObject({ state: 'COMPLETED_WITH_ERRORS', purgedAt: null });
    expect(await stored(oldId)).toMatchObject({ issues: 1, batches: 1 });
    expect((await stored(oldId)).chunks).toBeGreaterThan(0);

    clock.advance(20 * DAY_MS);
    const youngId = await startInlineImport(client, templateId, csv([['Mobile', 'First Name', 'Store'], ['6588100003', 'C@t', store]]));
    await finishedJob(server, client, org.key, youngId);
    // An upload that broke off long ago (it never became a job).
    await server.em().execute(`insert into import_file (org_id, name, size_bytes, complete, created_at) values (?, 'broken.csv', 10, false, ?)`, [
      org.orgId,
      new Date(clock.now().getTime() - 2 * DAY_MS),
    ]);

    // Day 20: nothing is old enough.
    expect(await purgeExpiredImports({ em: server.em(), clock }, { retentionDays: 30, orgId: org.orgId })).toEqual({ jobs: 0, issues: 0, files: 0, abandonedUploads: 1 });

    clock.advance(11 * DAY_MS);
    const run = await purgeExpiredImports({ em: server.em(), clock }, { retentionDays: 30, orgId: org.orgId });
    expect(run).toEqual({ jobs: 1, issues: 1, files: 1, abandonedUploads: 0 });
    expect(await stored(oldId)).toEqual({ chunks: 0, issues: 0, batches: 0 });

    const purged = await jobDetails(client, oldId);
    expect(Date.parse(purged.purgedAt!)).toBe(clock.now().getTime());
    expect(purged.progress).toMatchObject({ state: 'COMPLETED_WITH_ERRORS', rowsRead: 2, rowsAccepted: 1, rowsRejected: 1 });
    expect(purged.errors.nodes).toEqual([]);
    // The counts by code outlive the issues.
    expect(purged.errorCounts).toEqual([{ code: 'NAME_HAS_SPECIAL_CHARACTERS', rows: 1 }]);
    expect(purged.errorCounts).toEqual(old.errorCounts);
    expect(purged.correctionCounts).toEqual(old.correctionCounts);
    const gone = await report(oldId);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('IMPORT_PURGED');

    // The younger job keeps everything, and a second run finds nothing more to do.
    expect((await jobDetails(client, youngId)).purgedAt).toBeNull();
    expect((await stored(youngId)).issues).toBe(1);
    expect((await report(youngId)).status).toBe(200);
    expect(await purgeExpiredImports({ em: server.em(), clock }, { retentionDays: 30, orgId: org.orgId })).toEqual({ jobs: 0, issues: 0, files: 0, abandonedUploads: 0 });
  });

  it('refuses a retention shorter than the replay window', async () => {
    await expect(purgeExpiredImports({ em: server.em(), clock }, { retentionDays: 7 })).rejects.toThrow(/at least 8 days/);
  });
});
