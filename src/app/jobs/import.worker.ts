import { failDeadJob } from '../../import/job-store.js';
import { InterruptedError, runImportJob, type ImportRuntime } from '../../import/pipeline/runner.js';
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
    await failDeadJob({ em: runtime.orm.em.fork(), events: runtime.events, clock: runtime.clock }, message.importJobId);
  });
  return {
    async stop() {
      shutdown.abort();
    },
  };
}
