import type { Pool } from 'pg';
import type { Clock } from '../../core/clock.js';
import { camelCaseRow } from '../../core/sql/rows.js';
import { toImportJobRow, type ImportJobRow } from '../import.rows.js';
import type { ImportJobState } from '../import.entity.js';
import { importTopic, type ImportEvent, type ImportProgressSnapshot } from '../import.events.js';
import type { EventBus } from '../../core/event-bus.js';

const TERMINAL: readonly ImportJobState[] = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

export function isTerminal(state: ImportJobState): boolean {
  return TERMINAL.includes(state);
}

function seconds(from: string | undefined, to: Date): number | null {
  if (!from) return null;
  const elapsed = (to.getTime() - new Date(from).getTime()) / 1000;
  return elapsed > 0 ? elapsed : null;
}

/** The progress of a job as watchers see it, computed from its row: the same for the first message and every later one. */
export function progressOf(job: ImportJobRow, now: Date): ImportProgressSnapshot {
  let rowsPerSecond: number | null = null;
  let etaSeconds: number | null = null;
  if (job.state === 'PARSING') {
    const elapsed = seconds(job.phases.PARSING?.startedAt, now);
    if (elapsed) {
      rowsPerSecond = job.rowsRead / elapsed;
      if (job.bytesRead > 0) etaSeconds = Math.max(0, ((job.fileSizeBytes - job.bytesRead) * elapsed) / job.bytesRead);
    }
  } else if (job.state === 'MERGING') {
    const elapsed = seconds(job.phases.MERGING?.startedAt, now);
    if (elapsed) {
      rowsPerSecond = job.rowsAccepted / elapsed;
      if (job.batchesMerged > 0) etaSeconds = Math.max(0, ((job.batchesTotal - job.batchesMerged) * elapsed) / job.batchesMerged);
    }
  } else if (isTerminal(job.state) && job.startedAt && job.finishedAt) {
    const elapsed = (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000;
    rowsPerSecond = elapsed > 0 ? job.rowsRead / elapsed : null;
    etaSeconds = 0;
  }
  return {
    jobId: job.id,
    seq: job.progressSeq,
    state: job.state,
    rowsRead: job.rowsRead,
    rowsAccepted: job.rowsAccepted,
    rowsRejected: job.rowsRejected,
    rowsCorrected: job.rowsCorrected,
    rowsFiltered: job.rowsFiltered,
    rowsValid: job.rowsValid,
    batchesMerged: job.batchesMerged,
    batchesTotal: job.batchesTotal,
    bytesRead: job.bytesRead,
    bytesTotal: job.fileSizeBytes,
    rowsPerSecond: rowsPerSecond === null ? null : Math.round(rowsPerSecond * 10) / 10,
    etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
    failureCode: job.failureCode,
    failureMessage: job.failureMessage,
    updatedAt: job.updatedAt.toISOString(),
  };
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

const FLUSH_INTERVAL_MS = 250;

/**
 * A running job's counters: persisted to its row and published to watchers at most every 250 ms,
 * and at once on every phase change. Each flush is one UPDATE (returning whether a cancel was
 * asked for) followed by one event, published outside any row-writing transaction.
 */
export class ProgressTracker {
  readonly counters: Counters;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private cancelAsked = false;
  private lastRow: ImportJobRow | undefined;
  private lastFlushAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly jobId: number,
    start: ImportJobRow,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.counters = {
      bytesRead: start.bytesRead,
      rowsRead: start.rowsRead,
      rowsRejected: start.rowsRejected,
      rowsCorrected: start.rowsCorrected,
      rowsFiltered: start.rowsFiltered,
      rowsValid: start.rowsValid,
      rowsAccepted: start.rowsAccepted,
      batchesMerged: start.batchesMerged,
      batchesTotal: start.batchesTotal,
    };
    this.lastRow = start;
  }

  get cancelRequested(): boolean {
    return this.cancelAsked;
  }

  startTimer(): void {
    // Ticks often, flushes at most every 250 ms (a phase change flushes at once and restarts the wait).
    this.timer ??= setInterval(() => {
      if (this.dirty && performance.now() - this.lastFlushAt >= FLUSH_INTERVAL_MS) void this.flush();
    }, FLUSH_INTERVAL_MS / 5);
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Marks the counters changed: the next tick persists and publishes them. */
  touch(): void {
    this.dirty = true;
  }

  update(change: Partial<Counters>): void {
    Object.assign(this.counters, change);
    this.dirty = true;
  }

  /**
   * Persists and publishes now (flushes run one after another, never two at once). A flush of
   * counters only logs a failure (the next one writes them again); a flush that changes the state
   * rejects with it, so the run fails and is retried instead of leaving the job in a state no
   * runner is in any more.
   */
  flush(extra: { state?: ImportJobState; finished?: boolean; failure?: { code: string; message: string; replayable: boolean } } = {}): Promise<void> {
    const written = this.flushing.then(() => this.write(extra));
    this.flushing = written.catch((error: unknown) => this.log(`Could not record the progress of import ${this.jobId}`, error));
    return extra.state === undefined ? this.flushing : written;
  }

  /** Enters a phase: closes the previous one in `phases`, opens this one, and publishes at once. */
  enterPhase(state: ImportJobState): Promise<void> {
    return this.flush({ state });
  }

  get row(): ImportJobRow | undefined {
    return this.lastRow;
  }

  private async write(extra: { state?: ImportJobState; finished?: boolean; failure?: { code: string; message: string; replayable: boolean } }): Promise<void> {
    this.dirty = false;
    this.lastFlushAt = performance.now();
    const now = this.clock.now();
    const c = this.counters;
    const { rows } = await this.pool.query(
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
       select u.*, f.name as file_name, f.size_bytes as file_size_bytes from updated u join import_file f on f.id = u.file_id`,
      [
        this.jobId,
        c.bytesRead,
        c.rowsRead,
        c.rowsRejected,
        c.rowsCorrected,
        c.rowsFiltered,
        c.rowsValid,
        c.rowsAccepted,
        c.batchesMerged,
        c.batchesTotal,
        extra.state ?? null,
        now.toISOString(),
        now,
        extra.finished ?? false,
        extra.failure?.code ?? null,
        extra.failure?.message ?? null,
        extra.failure?.replayable ?? null,
      ],
    );
    if (!rows[0]) {
      // The job ended elsewhere (cancelled while queued): stop working on it.
      this.cancelAsked = true;
      return;
    }
    const row = toImportJobRow(camelCaseRow(rows[0] as Record<string, unknown>));
    this.lastRow = row;
    this.cancelAsked = row.cancelRequestedAt !== null;
    const event: ImportEvent = { kind: 'progress', progress: progressOf(row, now) };
    // The state is recorded: an event that could not go out is not a reason to run the job again.
    await this.events.publish(importTopic(this.jobId), event).catch((error: unknown) => this.log(`Could not publish the progress of import ${this.jobId}`, error));
  }
}
