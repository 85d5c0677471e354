import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Clock } from '../../core/clock.js';
import { selectRows } from '../../core/sql/rows.js';
import type { Log } from '../../core/log.js';
import type { EventBus } from '../../core/event-bus.js';
import { toOrgRow } from '../../domain/org/org.rows.js';
import { poolOf } from '../file-store.js';
import { importTopic, type ImportEvent } from '../import.events.js';
import { IMPORT_JOB_SELECT, toImportJobRow, type ImportJobRow } from '../import.rows.js';
import { recordAttemptFailure } from '../job-store.js';
import type { ImportProfile, JobContext, MergeResult, RowIssue, StageTable } from '../profiles/profile.js';
import { importProfile } from '../profiles/registry.js';
import { boundedText } from '../checks/bounded-text.js';
import { UnsupportedPatternError } from '../../core/user-pattern.js';
import { ImportFileError } from './import-file-error.js';
import { insertIssues } from './issue-writer.js';
import { isTerminal } from './progress.js';
import { ProgressTracker } from './progress-tracker.js';
import { stageFile, type StagingRun } from './stage-file.js';

/** A failed run is tried again automatically this many times; then the job fails (and may be replayed for 7 days). */
export const AUTOMATIC_RETRIES = 3;
/** A file failure's message quotes the file (its headers): bounded like everything a file says. */
const FILE_FAILURE_MESSAGE_MAX = 1_000;
/** The advisory-lock key space of import runs: one runner per job, across every process. */
const RUN_LOCK_SPACE = 7411;
/**
 * The advisory-lock key space of a job's merge-time issues. Batches merging side by side take it
 * (until they commit) before they insert issues, so issues commit in the order of their ids:
 * `importErrors` reads past the last id it sent, and would skip a lower id committed later.
 */
const ISSUE_LOCK_SPACE = 7412;

/** What a process gives its import runners. */
export interface ImportRuntime {
  readonly orm: MikroORM;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly log: Log;
  /** Longest CSV record accepted, in characters. */
  readonly maxRecordChars: number;
}

/** The process is shutting down: the run stops at a safe point and is queued again. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** A dry run's merge is rolled back by throwing this out of its transaction. */
class RollbackDryRun extends Error {
  constructor(readonly result: MergeResult) {
    super('dry run');
  }
}

export type RunOutcome = 'finished' | 'busy';

function stageOf(jobId: number): StageTable {
  return { name: `import_stage.job_${jobId}`, jobId };
}

async function loadJob(em: JobContext['em'], jobId: number): Promise<ImportJobRow | undefined> {
  const rows = await selectRows(em, `${IMPORT_JOB_SELECT} where j.id = ?`, [jobId]);
  return rows[0] ? toImportJobRow(rows[0]) : undefined;
}

/**
 * Runs (or resumes) one import job to a terminal state. Safe to call twice for the same job, in
 * any processes: an advisory lock lets one runner work and the other return 'busy'. A job that
 * was interrupted resumes where it stopped: before its rows were staged it starts reading again;
 * once staged, it merges the batches not merged yet (each batch commits with its record in
 * `import_merge_batch`, so no row is applied twice).
 */
export async function runImportJob(runtime: ImportRuntime, jobId: number, signal: AbortSignal): Promise<RunOutcome> {
  const em = runtime.orm.em.fork({ clear: true });
  const pool = await poolOf(em);
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2::int) as locked', [RUN_LOCK_SPACE, jobId]);
    if (!rows[0].locked) return 'busy';
    try {
      await new JobRun(runtime, pool, jobId, signal).run(em);
      return 'finished';
    } finally {
      await lock.query('select pg_advisory_unlock($1, $2::int)', [RUN_LOCK_SPACE, jobId]);
    }
  } finally {
    lock.release();
  }
}

class JobRun {
  private tracker!: ProgressTracker;
  private ctx!: JobContext;
  private profile!: ImportProfile;
  private job!: ImportJobRow;

  constructor(
    private readonly runtime: ImportRuntime,
    private readonly pool: Pool,
    private readonly jobId: number,
    private readonly signal: AbortSignal,
  ) {}

  async run(em: JobContext['em']): Promise<void> {
    const job = await loadJob(em, this.jobId);
    if (!job || isTerminal(job.state)) return;
    this.job = job;
    const orgs = await selectRows(em, 'select * from org where id = ?', [job.orgId]);
    const org = toOrgRow(orgs[0]);
    this.ctx = {
      org,
      actor: `import-job:${job.id}`,
      timeZone: org.timeZone,
      em,
      clock: this.runtime.clock,
      job: { id: job.id, profile: job.profile, mapping: job.mapping, options: job.options, dryRun: job.dryRun, domainIssueCodes: importProfile(job.profile).domainIssueCodes ?? {} },
    };
    this.profile = importProfile(job.profile);
    this.tracker = new ProgressTracker(this.pool, this.runtime.events, this.runtime.clock, job.id, job, this.runtime.log);
    this.tracker.startTimer();
    try {
      if (job.cancelRequestedAt) throw new CancelledError();
      await this.runPhases();
    } catch (error) {
      await this.handleFailure(error);
    } finally {
      this.tracker.stopTimer();
    }
  }

  private async runPhases(): Promise<void> {
    const stage = stageOf(this.jobId);
    if (this.job.state !== 'STAGED' && this.job.state !== 'MERGING') {
      // Staging again (a run interrupted while parsing): what an earlier run built from its rows goes.
      await this.dropStage();
      await stageFile(this.stagingRun(), stage);
      await this.tracker.enterPhase('VALIDATING');
      await this.profile.check(this.ctx, stage);
      this.checkpoint();
      await this.recount(stage);
      await this.tracker.enterPhase('STAGED');
    }
    if (this.job.dryRun) {
      if (this.profile.dryRunMerges) await this.mergeBatches(stage, true);
      else this.tracker.update({ rowsAccepted: this.tracker.counters.rowsValid });
    } else {
      await this.tracker.enterPhase('MERGING');
      const prepare = this.profile.beforeMerge;
      if (prepare) await this.ctx.em.transactional((em) => prepare({ ...this.ctx, em }, stage));
      await this.mergeBatches(stage, false);
      const finish = this.profile.afterMerge;
      if (finish) await this.ctx.em.transactional((em) => finish({ ...this.ctx, em }, stage));
    }
    await this.recount(stage);
    // The end is recorded before the staged rows go: when the write fails, the run fails and is
    // retried, and the retry finds every batch merged and only has to record the end again.
    await this.tracker.flush({ state: this.tracker.counters.rowsRejected > 0 ? 'COMPLETED_WITH_ERRORS' : 'COMPLETED', finished: true });
    await this.dropStageQuietly();
  }

  /** Stops at a safe point when the process shuts down or someone cancelled the job. */
  private checkpoint(): void {
    if (this.signal.aborted) throw new InterruptedError('The import was interrupted by a shutdown; it will resume.');
    if (this.tracker.cancelRequested) throw new CancelledError();
  }

  private publishIssues(lastIssueId: number): void {
    const event: ImportEvent = { kind: 'issues', lastIssueId };
    this.runtime.events.publish(importTopic(this.jobId), event).catch((error: unknown) => this.runtime.log('Could not publish import errors', error, { jobId: this.jobId }));
  }

  /** What the PARSING stage reads of this run. */
  private stagingRun(): StagingRun {
    return {
      pool: this.pool,
      job: this.job,
      ctx: this.ctx,
      profile: this.profile,
      tracker: this.tracker,
      signal: this.signal,
      maxRecordChars: this.runtime.maxRecordChars,
      checkpoint: () => this.checkpoint(),
      publishIssues: (last) => this.publishIssues(last),
    };
  }

  /** Exact counts from what is stored: rows with errors, rows with corrections, staged rows without errors. */
  private async recount(stage: StageTable): Promise<void> {
    const { rows } = await this.pool.query<{ rejected: string; corrected: string }>(
      `select count(distinct row) filter (where kind = 'ERROR') as rejected, count(distinct row) filter (where kind = 'CORRECTION') as corrected
         from import_row_issue where job_id = $1`,
      [this.jobId],
    );
    const exists = await this.pool.query('select to_regclass($1) as t', [stage.name]);
    let valid = this.tracker.counters.rowsValid;
    if (exists.rows[0].t) {
      // Every row with an issue is a staged row (rejected rows are staged too), so the valid rows
      // are the staged ones less the rejected ones: a count, not an anti-join of every staged row.
      const staged = await this.pool.query<{ count: string }>(`select count(*) from ${stage.name}`);
      valid = Number(staged.rows[0].count) - Number(rows[0].rejected);
    }
    this.tracker.update({ rowsRejected: Number(rows[0].rejected), rowsCorrected: Number(rows[0].corrected), rowsValid: valid });
  }

  /**
   * MERGING: each batch in its own transaction, recorded in the same transaction; batches merged
   * before are skipped. Profiles that allow it merge several batches at once (one connection
   * each); a failing batch stops the others at their next batch, and the run fails only once none
   * is in flight.
   */
  private async mergeBatches(stage: StageTable, dryRun: boolean): Promise<void> {
    const merged = await this.pool.query<{ batch: number; rows_applied: number }>('select batch, rows_applied from import_merge_batch where job_id = $1', [this.jobId]);
    const done = new Set(merged.rows.map((row) => row.batch));
    // What earlier runs merged counts as recorded (a run that failed may not have saved its counters).
    this.tracker.counters.batchesMerged = merged.rows.length;
    this.tracker.counters.rowsAccepted = merged.rows.reduce((sum, row) => sum + row.rows_applied, 0);
    const pending: number[] = [];
    for (let batch = 0; batch < this.tracker.counters.batchesTotal; batch++) if (!done.has(batch)) pending.push(batch);
    const lanes = Math.max(1, Math.min(this.profile.mergeConcurrency?.(this.ctx) ?? 1, pending.length));
    let next = 0;
    let stopped = false;
    const lane = async (em: JobContext['em']): Promise<void> => {
      while (next < pending.length && !stopped) {
        this.checkpoint();
        await this.mergeBatch(em, stage, pending[next++], dryRun);
      }
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: lanes }, (_, index) =>
        lane(index === 0 ? this.ctx.em : this.ctx.em.fork({ clear: true })).catch((error: unknown) => {
          stopped = true;
          throw error;
        }),
      ),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async mergeBatch(em: JobContext['em'], stage: StageTable, batch: number, dryRun: boolean): Promise<void> {
    const counters = this.tracker.counters;
    const size = this.profile.batchRows;
    const range = { batch, firstRow: batch * size + 1, lastRow: (batch + 1) * size };
    let result: MergeResult;
    if (dryRun) {
      result = await em
        .transactional(async (tem) => {
          throw new RollbackDryRun(await this.profile.mergeBatch({ ...this.ctx, em: tem }, stage, range));
        })
        .catch((error: unknown) => {
          if (error instanceof RollbackDryRun) return error.result;
          throw error;
        });
      const issues = result.issues;
      if (issues.length > 0) await em.transactional((tem) => this.insertMergeIssues(tem, issues));
    } else {
      result = await em.transactional(async (tem) => {
        // The commit need not wait for its WAL to reach the disk: a batch lost with the last moments
        // before a crash loses its import_merge_batch record with it, so the resumed job merges it
        // again (once). The job's final state is committed synchronously, which flushes every
        // batch's WAL before it.
        await tem.execute('set local synchronous_commit = off');
        const tx = { ...this.ctx, em: tem };
        const merged = await this.profile.mergeBatch(tx, stage, range);
        if (merged.issues.length > 0) await this.insertMergeIssues(tem, merged.issues);
        await tem.execute('insert into import_merge_batch (job_id, batch, rows_applied, guarded, merged_at) values (?, ?, ?, ?, ?)', [
          this.jobId,
          batch,
          merged.applied,
          merged.guarded ?? false,
          tx.clock.now(),
        ]);
        return merged;
      });
      counters.batchesMerged += 1;
    }
    counters.rowsAccepted += result.applied;
    counters.rowsRejected += new Set(result.issues.filter((issue) => issue.kind === 'ERROR').map((issue) => issue.row)).size;
    if (result.issues.length > 0) {
      const last = await this.pool.query<{ max: string | null }>(`select max(id) as max from import_row_issue where job_id = $1`, [this.jobId]);
      if (last.rows[0].max) this.publishIssues(Number(last.rows[0].max));
    }
    this.tracker.touch();
  }

  /** Inserts a batch's issues under the job's issue lock, held until the transaction commits. */
  private async insertMergeIssues(tem: JobContext['em'], issues: readonly RowIssue[]): Promise<void> {
    await tem.execute('select pg_advisory_xact_lock(?::int, ?::int)', [ISSUE_LOCK_SPACE, this.jobId]);
    await insertIssues(tem, this.jobId, issues);
  }

  private async dropStage(): Promise<void> {
    const stage = stageOf(this.jobId).name;
    const tables = [stage, ...(this.profile.auxTables ?? []).map((suffix) => `${stage}_${suffix}`)];
    await this.pool.query(`drop table if exists ${tables.join(', ')}`);
  }

  /** Once the job has ended, tables left behind are only space: the retention drops them later. */
  private async dropStageQuietly(): Promise<void> {
    await this.dropStage().catch((error: unknown) => this.runtime.log(`Could not drop the staging tables of import ${this.jobId}`, error, { jobId: this.jobId }));
  }

  private async handleFailure(error: unknown): Promise<void> {
    if (error instanceof InterruptedError) {
      await this.tracker.flush();
      throw error;
    }
    // Each end below rejects when it cannot be recorded: the run then fails and its queue entry is
    // retried (or, once retries are spent, the job is failed by the dead-letter worker).
    if (error instanceof CancelledError) {
      await this.tracker.flush({ state: 'CANCELLED', finished: true });
      await this.dropStageQuietly();
      return;
    }
    if (error instanceof ImportFileError) {
      await this.tracker.flush({ state: 'FAILED', finished: true, failure: { code: error.code, message: boundedText(error.message, FILE_FAILURE_MESSAGE_MAX), replayable: false } });
      await this.dropStageQuietly();
      return;
    }
    // A pattern saved without the pattern check (a row filter, the org's mobile pattern), which
    // the linear-time engine cannot run: no retry can help, and a replay would run the same one.
    if (error instanceof UnsupportedPatternError) {
      await this.tracker.flush({ state: 'FAILED', finished: true, failure: { code: 'PATTERN_UNSUPPORTED', message: boundedText(error.message, FILE_FAILURE_MESSAGE_MAX), replayable: false } });
      await this.dropStageQuietly();
      return;
    }
    // Anything else is ours (a database error, a bug): its text names tables, constraints and
    // values, so it goes to the log alone, and the job's clients read a code and a message that
    // point there (the job and attempt identify the log lines).
    const attempts = await recordAttemptFailure(this.pool, this.jobId);
    this.runtime.log(`Import ${this.jobId} attempt ${attempts} failed`, error, { jobId: this.jobId });
    if (attempts <= AUTOMATIC_RETRIES) throw error;
    await this.tracker.flush({
      state: 'FAILED',
      finished: true,
      failure: {
        code: 'JOB_FAILED',
        message: `The import failed ${attempts} times with an internal error (the server log has the detail, under import ${this.jobId}). Replay it within 7 days of its creation once the cause is fixed.`,
        replayable: true,
      },
    });
  }
}
