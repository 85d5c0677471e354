import type { ImportJobRow } from '../import.rows.js';
import type { ImportJobState } from '../import.entity.js';
import type { ImportProgressSnapshot } from '../import.events.js';

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
