import { selectRows } from '../../core/sql/rows.js';
import { importTopic, type ImportEvent } from '../../import/import.events.js';
import { IMPORT_JOB_SELECT, toImportJobRow } from '../../import/import.rows.js';
import { InterruptedError, runImportJob, type ImportRuntime } from '../../import/pipeline/runner.js';
import { progressOf } from '../../import/pipeline/progress.js';
import type { JobQueue } from './queue.js';

/** How soon a queue entry that found its job held by another runner looks again. */
const BUSY_RECHECK_SECONDS = 5;

export interface ImportWorkers {
  /** Interrupts running imports at their next safe point (they are queued again) and stops fetching. */
  stop(): Promise<void>;
}

/**
 * Runs import jobs from the queue in this process: `concurrency` at a time. A job interrupted by a
 * shutdown is queued again and resumes in whichever process picks it up.
 */
export async function startImportWorkers(queue: JobQueue, runtime: ImportRuntime, concurrency: number): Promise<ImportWorkers> {
  const shutdown = new AbortController();
  await queue.workImports(concurrency, async (message, job) => {
    const signal = AbortSignal.any([shutdown.signal, job.signal]);
    try {
      const outcome = await runImportJob(runtime, message.importJobId, signal);
      // Another runner holds the job (this entry is a retry of one whose heartbeat went stale, or a
      // duplicate): this entry was not run, so it is not completed as if it had been. A fresh one
      // looks again shortly, and runs the job if the holder has died by then (a run that ended
      // finds the job ended and does nothing). Failing this entry instead would spend the retries
      // that a long run needs, and then fail a job that is still running.
      if (outcome === 'busy') await queue.sendImport(message, { afterSeconds: BUSY_RECHECK_SECONDS });
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
      await queue.sendImport(message);
    }
  });
  await queue.workDeadImports(async (message) => {
    // Every retry of this job lost its worker: it fails, and may be replayed.
    const em = runtime.orm.em.fork();
    const rows = await selectRows(
      em,
      `with failed as (
         update import_job set state = 'FAILED', finished_at = ?, updated_at = ?, replayable = true, progress_seq = progress_seq + 1,
           failure_code = 'JOB_FAILED', failure_message = 'The import stopped responding too many times (its worker was lost): replay it within 7 days of its creation.'
         where id = ? and state not in ('COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED') returning id)
       ${IMPORT_JOB_SELECT} where j.id in (select id from failed)`,
      [runtime.clock.now(), runtime.clock.now(), message.importJobId],
    );
    if (rows[0]) {
      const event: ImportEvent = { kind: 'progress', progress: progressOf(toImportJobRow(rows[0]), runtime.clock.now()) };
      await runtime.events.publish(importTopic(message.importJobId), event);
    }
  });
  return {
    async stop() {
      shutdown.abort();
    },
  };
}
