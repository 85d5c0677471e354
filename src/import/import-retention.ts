import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../core/clock.js';
import { selectRows, toId, writeRows } from '../core/sql/rows.js';
import { IMPORT_JOB_STATES, type ImportProfileName } from './import.entity.js';
import { REPLAY_WINDOW_DAYS } from './import.service.js';
import { keepPurgedIssueCounts, markPurged } from './job-store.js';
import { isTerminal } from './pipeline/progress.js';
import { importProfile } from './profiles/registry.js';

/**
 * Retention of imports. An uploaded file (hundreds of MB, in `import_file_chunk`) and its row
 * issues (up to one per row) are kept for `retentionDays` after the job was created, so its report
 * can be downloaded and its errors read; then they go. The job stays, with its counts, timings,
 * template and file name, and `purgedAt` says when the rest went. Only ended jobs are purged, and
 * never inside the replay window. Uploads that never became a job (the upload broke off) go after a day.
 */

export const DEFAULT_IMPORT_RETENTION_DAYS = 30;
/** A retention shorter than this would purge a failed job that may still be replayed. */
export const MIN_IMPORT_RETENTION_DAYS = REPLAY_WINDOW_DAYS + 1;
const DAY_MS = 86_400_000;
/** Jobs purged per transaction. */
const JOBS_PER_ROUND = 20;

export interface RetentionRun {
  /** Jobs purged. */
  readonly jobs: number;
  /** Row issues deleted. */
  readonly issues: number;
  /** Stored files whose content was deleted. */
  readonly files: number;
  /** Abandoned uploads deleted. */
  readonly abandonedUploads: number;
}

export interface RetentionOptions {
  readonly retentionDays: number;
  /** Only this org's imports (tests); every org by default. */
  readonly orgId?: number;
}

/** Purges what retention allows; idempotent and safe to run from several processes at once. */
export async function purgeExpiredImports(deps: { em: EntityManager; clock: Clock }, options: RetentionOptions): Promise<RetentionRun> {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < MIN_IMPORT_RETENTION_DAYS) {
    throw new Error(`The import retention must be at least ${MIN_IMPORT_RETENTION_DAYS} days (the replay window is ${REPLAY_WINDOW_DAYS}), got ${options.retentionDays}`);
  }
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const ofOrg = (alias: string): string => (options.orgId === undefined ? '' : `and ${alias}.org_id = ${Math.trunc(options.orgId)}`);
  let jobs = 0;
  let issues = 0;
  let files = 0;
  for (;;) {
    const round = await deps.em.fork().transactional(async (em) => {
      // Locked and skipped when locked: two processes purging at once share the work.
      const ended = await selectRows<{ id: string; fileId: string; profile: ImportProfileName }>(
        em,
        `select j.id, j.file_id, j.profile from import_job j
          where j.purged_at is null and j.created_at < ? and j.state = any(?::text[]) ${ofOrg('j')}
          order by j.id limit ${JOBS_PER_ROUND} for update skip locked`,
        [cutoff, IMPORT_JOB_STATES.filter(isTerminal)],
      );
      if (ended.length === 0) return { jobs: 0, issues: 0, files: 0, more: false };
      const ids = ended.map((job) => toId(job.id));
      // The counts by code outlive the issues: errorCounts and correctionCounts still answer.
      await keepPurgedIssueCounts(em, ids);
      const deleted = await writeRows<{ count: string }>(em, 'with gone as (delete from import_row_issue where job_id = any(?::bigint[]) returning 1) select count(*) from gone', [ids]);
      await writeRows(em, 'delete from import_merge_batch where job_id = any(?::bigint[])', [ids]);
      // A file's content goes once no job that is not being purged still needs it.
      const emptied = await writeRows<{ count: string }>(
        em,
        `with gone as (
           delete from import_file_chunk c where c.file_id = any(?::bigint[])
             and not exists (select 1 from import_job o where o.file_id = c.file_id and o.purged_at is null and o.id <> all(?::bigint[]))
           returning c.file_id)
         select count(distinct file_id) from gone`,
        [ended.map((job) => toId(job.fileId)), ids],
      );
      // Staging tables a failed job kept for its replay.
      for (const job of ended) {
        const stage = `import_stage.job_${toId(job.id)}`;
        const tables = [stage, ...(importProfile(job.profile).auxTables ?? []).map((suffix) => `${stage}_${suffix}`)];
        await em.execute(`drop table if exists ${tables.join(', ')}`);
      }
      await markPurged(em, ids, now);
      return { jobs: ids.length, issues: Number(deleted[0].count), files: Number(emptied[0].count), more: ended.length === JOBS_PER_ROUND };
    });
    jobs += round.jobs;
    issues += round.issues;
    files += round.files;
    if (!round.more) break;
  }
  const abandoned = await writeRows<{ count: string }>(
    deps.em.fork(),
    `with gone as (
       delete from import_file f where not f.complete and f.created_at < ? ${ofOrg('f')}
         and not exists (select 1 from import_job j where j.file_id = f.id)
       returning 1)
     select count(*) from gone`,
    [new Date(now.getTime() - DAY_MS)],
  );
  return { jobs, issues, files, abandonedUploads: Number(abandoned[0].count) };
}
