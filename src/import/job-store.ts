import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Clock } from '../core/clock.js';
import { DomainError } from '../core/errors.js';
import type { EventBus } from '../core/event-bus.js';
import { camelCaseRow, selectRows, toId, writeRows } from '../core/sql/rows.js';
import { inTransaction } from '../core/sql/transaction.js';
import { recordAudit } from '../domain/audit/audit.service.js';
import type { ServiceContext } from '../domain/context.js';
import type { ImportJobState, ImportProfileName } from './import.entity.js';
import { ImportErrorCode } from './import.errors.js';
import { importTopic, type ImportEvent } from './import.events.js';
import { toImportJobRow, type ImportJobRow } from './import.rows.js';
import { isTerminal, progressOf } from './pipeline/progress.js';
import type { Log } from '../core/log.js';

/**
 * The one writer of `import_job`: every change of a job's state or counters is a function here.
 * A change that watchers see bumps `progress_seq` (a watcher drops a snapshot older than one it has
 * sent), and those whose snapshot is published publish it here, once the change has committed.
 */


/** Selects the jobs a data-modifying `with` returned (`returning *`), with their file's name and size. */
function withFileOf(cte: string): string {
  return `select u.*, f.name as file_name, f.size_bytes as file_size_bytes from ${cte} u join import_file f on f.id = u.file_id`;
}

function progressEvent(job: ImportJobRow, now: Date): ImportEvent {
  return { kind: 'progress', progress: progressOf(job, now) };
}

export interface JobTemplate {
  readonly id: string;
  readonly name: string;
  readonly profile: ImportProfileName;
  readonly mapping: readonly { readonly field: string }[];
  readonly options: Record<string, unknown> | null;
}

/**
 * A QUEUED job over a stored file, with its own copy of the template, in the caller's transaction
 * (which queues it). Nothing is published: a watcher reads a job's row before its events.
 */
export async function createJob(tx: ServiceContext, template: JobTemplate, fileId: number, dryRun: boolean): Promise<number> {
  const now = tx.clock.now();
  const rows = await writeRows<{ id: string }>(
    tx.em,
    `insert into import_job (org_id, template_id, template_name, profile, mapping, options, file_id, dry_run, state, created_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?) returning id`,
    [tx.org.id, template.id, template.name, template.profile, JSON.stringify(template.mapping), JSON.stringify(template.options), fileId, dryRun, tx.actor, now, now],
  );
  return toId(rows[0].id);
}

export interface LockedJob {
  readonly id: string;
  readonly profile: ImportProfileName;
  readonly mapping: readonly { readonly field: string }[];
  readonly options: Record<string, unknown> | null;
  readonly state: ImportJobState;
  readonly replayable: boolean;
  readonly createdAt: Date;
  readonly phases: Record<string, unknown>;
}

/** A job of the caller's org, locked until the transaction ends; a foreign one is not found. */
export async function lockJob(tx: ServiceContext, jobId: number | undefined): Promise<LockedJob> {
  const rows =
    jobId === undefined
      ? []
      : await selectRows<LockedJob>(tx.em, 'select id, profile, mapping, options, state, replayable, created_at, phases from import_job where org_id = ? and id = ? for update', [tx.org.id, jobId]);
  if (!rows[0]) throw new DomainError(ImportErrorCode.IMPORT_JOB_NOT_FOUND, 'No import job with this id in your org.', ['input', 'id']);
  return rows[0];
}

/**
 * Cancels a job: a queued one at once; a running one at its next safe point (within a batch or
 * 250 ms), when its runner reads the request. Batches merged before that stay merged; the report
 * tells which rows were applied. A job cancelled at once is published once that has committed.
 */
export async function requestCancel(ctx: ServiceContext, events: EventBus, jobId: number | undefined): Promise<number> {
  const cancelled = await inTransaction(ctx, async (tx) => {
    const job = await lockJob(tx, jobId);
    const id = toId(job.id);
    if (isTerminal(job.state)) {
      throw new DomainError(ImportErrorCode.IMPORT_NOT_CANCELLABLE, `The job has already ended (${job.state}).`, ['input', 'id']);
    }
    const now = tx.clock.now();
    const ended = job.state === 'QUEUED';
    const rows = await writeRows(
      tx.em,
      `with cancelled as (
         update import_job set cancel_requested_at = ?, updated_at = ?, progress_seq = progress_seq + ?,
           state = case when ? then 'CANCELLED' else state end, finished_at = case when ? then ? else finished_at end where id = ?
         returning *)
       ${withFileOf('cancelled')}`,
      [now, now, ended ? 1 : 0, ended, ended, now, id],
    );
    await recordAudit(tx, { action: 'importCancel', subjectType: 'ImportJob', subjectId: id, details: { state: job.state } });
    return { job: toImportJobRow(rows[0]), ended };
  });
  if (cancelled.ended) await events.publish(importTopic(cancelled.job.id), progressEvent(cancelled.job, ctx.clock.now()));
  return cancelled.job.id;
}

/**
 * Sets a failed job going again from `resumeState`, in the caller's transaction (which queues it):
 * its attempts start over and its failure is forgotten.
 */
export async function reopenForReplay(tx: ServiceContext, jobId: number, resumeState: ImportJobState, now: Date): Promise<void> {
  await tx.em.execute(
    `update import_job set state = ?, attempts = 0, failure_code = null, failure_message = null, replayable = false,
       finished_at = null, updated_at = ?, progress_seq = progress_seq + 1 where id = ?`,
    [resumeState, now, jobId],
  );
}

export interface Counters {
  bytesRead: number;
  rowsRead: number;
  rowsRejected: number;
  rowsCorrected: number;
  rowsFiltered: number;
  rowsValid: number;
  rowsAccepted: number;
  batchesMerged: number;
  batchesTotal: number;
}

/** What a progress write changes besides the counters: the phase entered, the end, a failure. */
export interface ProgressChange {
  readonly state?: ImportJobState;
  readonly finished?: boolean;
  readonly failure?: { readonly code: string; readonly message: string; readonly replayable: boolean };
}

/** What a runner writes with: its pool (no transaction is open around a progress write) and the bus. */
export interface RunnerWrites {
  readonly pool: Pool;
  readonly events: EventBus;
  readonly log: Log;
}

/**
 * A running job's counters, and the phase it enters or how it ends, as one UPDATE (a phase change
 * closes the previous phase in `phases` and opens the next); then its snapshot is published.
 * Returns the job as written, or undefined when it had ended already (it is left as it is).
 */
export async function recordProgress(writes: RunnerWrites, jobId: number, counters: Counters, change: ProgressChange, now: Date): Promise<ImportJobRow | undefined> {
  const c = counters;
  const { rows } = await writes.pool.query(
    `with updated as (
       update import_job set
         bytes_read = $2, rows_read = $3, rows_rejected = $4, rows_corrected = $5, rows_filtered = $6, rows_valid = $7,
         rows_accepted = $8, batches_merged = $9, batches_total = $10,
         state = coalesce($11, state),
         phases = case when $11::text is null or $11::text = state then phases
                       else (case when phases ? state then jsonb_set(phases, array[state, 'finishedAt'], to_jsonb($12::text)) else phases end)
                            || jsonb_build_object($11::text, jsonb_build_object('startedAt', $12::text)) end,
         started_at = coalesce(started_at, case when $11::text is not null then $13::timestamptz end),
         finished_at = case when $14 then $13::timestamptz else finished_at end,
         failure_code = coalesce($15, failure_code), failure_message = coalesce($16, failure_message),
         replayable = coalesce($17, replayable),
         progress_seq = progress_seq + 1, updated_at = $13
       where id = $1 and state not in ('COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED')
       returning *)
     ${withFileOf('updated')}`,
    [
      jobId,
      c.bytesRead,
      c.rowsRead,
      c.rowsRejected,
      c.rowsCorrected,
      c.rowsFiltered,
      c.rowsValid,
      c.rowsAccepted,
      c.batchesMerged,
      c.batchesTotal,
      change.state ?? null,
      now.toISOString(),
      now,
      change.finished ?? false,
      change.failure?.code ?? null,
      change.failure?.message ?? null,
      change.failure?.replayable ?? null,
    ],
  );
  if (!rows[0]) return undefined;
  const job = toImportJobRow(camelCaseRow(rows[0] as Record<string, unknown>));
  // The state is recorded: an event that could not go out is not a reason to run the job again.
  await writes.events.publish(importTopic(jobId), progressEvent(job, now)).catch((error: unknown) => writes.log(`Could not publish the progress of import ${jobId}`, error, { jobId }));
  return job;
}

/**
 * Counts a failed attempt of a run and says so in the job's failure message (the detail is in the
 * log, under the job). Returns the attempts so far. Not published: the run is retried, or fails.
 */
export async function recordAttemptFailure(pool: Pool, jobId: number): Promise<number> {
  const { rows } = await pool.query<{ attempts: number }>(
    `update import_job set attempts = attempts + 1,
       failure_message = 'Attempt ' || (attempts + 1) || ' failed with an internal error (the server log has the detail, under import ' || id || '); it is retried automatically.'
     where id = $1 returning attempts`,
    [jobId],
  );
  return rows[0]?.attempts ?? 1;
}

/**
 * Fails a job every retry of which lost its worker, unless it has ended meanwhile; it may be
 * replayed. Published once written.
 */
export async function failDeadJob(deps: { readonly em: EntityManager; readonly events: EventBus; readonly clock: Clock }, jobId: number): Promise<void> {
  const rows = await writeRows(
    deps.em,
    `with failed as (
       update import_job set state = 'FAILED', finished_at = ?, updated_at = ?, replayable = true, progress_seq = progress_seq + 1,
         failure_code = 'JOB_FAILED', failure_message = 'The import stopped responding too many times (its worker was lost): replay it within 7 days of its creation.'
       where id = ? and state not in ('COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED') returning *)
     ${withFileOf('failed')}`,
    [deps.clock.now(), deps.clock.now(), jobId],
  );
  if (rows[0]) await deps.events.publish(importTopic(jobId), progressEvent(toImportJobRow(rows[0]), deps.clock.now()));
}

/**
 * Keeps the rows per issue code of jobs whose issues retention is about to delete, in its
 * transaction: errorCounts and correctionCounts still answer once the issues are gone.
 */
export async function keepPurgedIssueCounts(em: EntityManager, jobIds: readonly number[]): Promise<void> {
  await writeRows(
    em,
    `update import_job j set purged_issue_counts = coalesce((
       select jsonb_object_agg(k.kind, k.codes) from (
         select c.kind, jsonb_object_agg(c.code, c.rows) as codes
         from (select kind, code, count(distinct row) as rows from import_row_issue where job_id = j.id group by kind, code) c
         group by c.kind) k), '{}')
     where j.id = any(?::bigint[])`,
    [jobIds],
  );
}

/** Records that retention removed the jobs' file content and issues, in its transaction: they can no longer be replayed. */
export async function markPurged(em: EntityManager, jobIds: readonly number[], now: Date): Promise<void> {
  await writeRows(em, 'update import_job set purged_at = ?, replayable = false where id = any(?::bigint[])', [now, jobIds]);
}
