import type { Log } from '../../core/log.js';
import type { Pool } from 'pg';
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../core/event-bus.js';
import type { ImportJobState } from '../import.entity.js';
import type { ImportJobRow } from '../import.rows.js';
import { recordProgress, type Counters, type ProgressChange, type RunnerWrites } from '../job-store.js';

const FLUSH_INTERVAL_MS = 250;

/**
 * A running job's counters: persisted to its row and published to watchers at most every 250 ms,
 * and at once on every phase change. Each flush is one UPDATE (returning whether a cancel was
 * asked for) followed by one event, published outside any row-writing transaction.
 */
export class ProgressTracker {
  readonly counters: Counters;
  private readonly writes: RunnerWrites;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private cancelAsked = false;
  private lastRow: ImportJobRow | undefined;
  private lastFlushAt = 0;

  constructor(
    pool: Pool,
    events: EventBus,
    private readonly clock: Clock,
    private readonly jobId: number,
    start: ImportJobRow,
    private readonly log: Log,
  ) {
    this.writes = { pool, events, log };
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
  flush(change: ProgressChange = {}): Promise<void> {
    const written = this.flushing.then(() => this.write(change));
    this.flushing = written.catch((error: unknown) => this.log(`Could not record the progress of import ${this.jobId}`, error, { jobId: this.jobId }));
    return change.state === undefined ? this.flushing : written;
  }

  /** Enters a phase: closes the previous one in `phases`, opens this one, and publishes at once. */
  enterPhase(state: ImportJobState): Promise<void> {
    return this.flush({ state });
  }

  get row(): ImportJobRow | undefined {
    return this.lastRow;
  }

  private async write(change: ProgressChange): Promise<void> {
    this.dirty = false;
    this.lastFlushAt = performance.now();
    const row = await recordProgress(this.writes, this.jobId, this.counters, change, this.clock.now());
    if (!row) {
      // The job ended elsewhere (cancelled while queued): stop working on it.
      this.cancelAsked = true;
      return;
    }
    this.lastRow = row;
    this.cancelAsked = row.cancelRequestedAt !== null;
  }
}
