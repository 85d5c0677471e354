import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import type { ImportProfileName } from '../../import/import.entity.js';
import { IMPORT_JOB_SELECT, toImportIssueRow, toImportJobRow, toImportTemplateRow, type ImportIssueRow, type ImportJobRow, type ImportTemplateRow } from '../../import/import.rows.js';

/** Templates of the caller's org by id (retired ones too: jobs still point at them). */
export function importTemplateById(ctx: RequestContext) {
  return ctx.loaders.get<number, ImportTemplateRow | null>('importTemplate.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select t.* from ${rowsByKey('import_template', 't')} where t.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toImportTemplateRow(row)])), null);
  });
}

/** The org's current templates in id order, optionally of one profile. */
export async function listImportTemplates(ctx: RequestContext, profile: ImportProfileName | null | undefined, page: PageRequest): Promise<Page<ImportTemplateRow>> {
  const params: unknown[] = [ctx.org.id];
  let where = 'x.org_id = ? and x.deleted_at is null';
  if (profile) {
    where += ' and x.profile = ?';
    params.push(profile);
  }
  const pages = await loadPagesForParents(ctx.em, { from: 'import_template x', parentColumn: 'org_id', sortColumn: 'id', descending: false, where, params, sortCast: '?::bigint' }, [ctx.org.id], page);
  const orgPage = pages.get(ctx.org.id) ?? { rows: [], hasNextPage: false };
  return { rows: orgPage.rows.map(toImportTemplateRow), hasNextPage: orgPage.hasNextPage };
}

export function importJobById(ctx: RequestContext) {
  return ctx.loaders.get<number, ImportJobRow | null>('importJob.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `${IMPORT_JOB_SELECT} where j.org_id = ? and j.id = any(?::bigint[])`, [ctx.org.id, ids]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toImportJobRow(row)])), null);
  });
}

/** The org's jobs, newest first. */
export async function listImportJobs(ctx: RequestContext, page: PageRequest): Promise<Page<ImportJobRow>> {
  const pages = await loadPagesForParents(
    ctx.em,
    {
      from: 'import_job x join import_file f on f.id = x.file_id',
      extraSelect: 'f.name as file_name, f.size_bytes as file_size_bytes',
      parentColumn: 'org_id',
      sortColumn: 'id',
      descending: true,
      where: 'x.org_id = ?',
      params: [ctx.org.id],
      sortCast: '?::bigint',
    },
    [ctx.org.id],
    page,
  );
  const orgPage = pages.get(ctx.org.id) ?? { rows: [], hasNextPage: false };
  return { rows: orgPage.rows.map(toImportJobRow), hasNextPage: orgPage.hasNextPage };
}

/** A page of a job's row errors (or corrections), in the order they were found, optionally of one code. */
export async function issuesOfJob(
  ctx: RequestContext,
  jobId: number,
  kind: 'ERROR' | 'CORRECTION',
  code: string | null | undefined,
  page: PageRequest,
): Promise<Page<ImportIssueRow>> {
  const params: unknown[] = [kind];
  let where = 'x.kind = ?';
  if (code) {
    where += ' and x.code = ?';
    params.push(code);
  }
  const pages = await loadPagesForParents(ctx.em, { from: 'import_row_issue x', parentColumn: 'job_id', sortColumn: 'id', descending: false, where, params, sortCast: '?::bigint' }, [jobId], page);
  const jobPage = pages.get(jobId) ?? { rows: [], hasNextPage: false };
  return { rows: jobPage.rows.map(toImportIssueRow), hasNextPage: jobPage.hasNextPage };
}

export interface IssueCount {
  readonly code: string;
  readonly rows: number;
}

/** Rows per issue code of jobs (errors or corrections), most frequent first: one query for every job a request asks about. */
export function issueCountsOfJob(ctx: RequestContext, kind: 'ERROR' | 'CORRECTION') {
  return ctx.loaders.get<number, IssueCount[]>(`importJob.issueCounts.${kind}`, async (jobIds) => {
    const rows = await selectRows<{ jobId: string; code: string; rows: string }>(
      ctx.em,
      `select i.job_id, i.code, count(distinct i.row) as rows from import_row_issue i join import_job j on j.id = i.job_id
        where j.org_id = ? and i.job_id = any(?::bigint[]) and i.kind = ? group by i.job_id, i.code order by count(distinct i.row) desc, i.code`,
      [ctx.org.id, jobIds, kind],
    );
    const byJob = new Map<number, IssueCount[]>();
    for (const row of rows) {
      const list = byJob.get(toId(row.jobId)) ?? [];
      list.push({ code: row.code, rows: Number(row.rows) });
      byJob.set(toId(row.jobId), list);
    }
    return byKeys(jobIds, byJob, []);
  });
}
