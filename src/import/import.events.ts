import type { ImportJobState } from './import.entity.js';

/** Every event of one import job travels on its own topic. */
export function importTopic(jobId: number): string {
  return `import:${jobId}`;
}

/** A job's progress, as published to watchers (plain data: ids, counters, state). */
export interface ImportProgressSnapshot {
  readonly jobId: number;
  /** Increases with every snapshot: a watcher drops one older than what it has already sent. */
  readonly seq: number;
  readonly state: ImportJobState;
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly rowsCorrected: number;
  readonly rowsFiltered: number;
  readonly rowsValid: number;
  readonly batchesMerged: number;
  readonly batchesTotal: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly rowsPerSecond: number | null;
  readonly etaSeconds: number | null;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  /** ISO-8601 instant of the snapshot. */
  readonly updatedAt: string;
}

export type ImportEvent =
  | { readonly kind: 'progress'; readonly progress: ImportProgressSnapshot }
  /** Row issues up to this id are committed and readable. */
  | { readonly kind: 'issues'; readonly lastIssueId: number };
