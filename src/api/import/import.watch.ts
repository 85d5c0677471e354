import { AsyncQueue } from '../async-queue.js';
import { selectRows } from '../../core/sql/rows.js';
import type { RequestContext } from '../context.js';
import { importTopic, type ImportEvent, type ImportProgressSnapshot } from '../../import/import.events.js';
import { IMPORT_JOB_SELECT, toImportIssueRow, toImportJobRow } from '../../import/import.rows.js';
import { isTerminal, progressOf } from '../../import/pipeline/progress.js';
import type { ImportRowIssue } from './import-job.types.js';

/** A batch of row errors for `importErrors`. */
export interface ImportErrorBatchValue {
  readonly jobId: number;
  readonly errors: ImportRowIssue[];
}

const ERRORS_PER_BATCH = 500;

async function currentProgress(ctx: RequestContext, jobId: number): Promise<ImportProgressSnapshot | undefined> {
  // A fresh fork for each read: the subscription's context lives as long as the subscription.
  const rows = await selectRows(ctx.runtime.orm.em.fork(), `${IMPORT_JOB_SELECT} where j.id = ? and j.org_id = ?`, [jobId, ctx.org.id]);
  return rows[0] ? progressOf(toImportJobRow(rows[0]), ctx.clock.now()) : undefined;
}

/**
 * The progress of one job: the current state first (read after subscribing to its events, so
 * nothing falls in between), then each newer snapshot; ends after a terminal one. A slow
 * consumer gets the latest snapshot, not a backlog.
 */
export function watchImportProgress(ctx: RequestContext, jobId: number): AsyncIterableIterator<ImportProgressSnapshot> {
  let lastSeq = -1;
  let unsubscribe = (): void => undefined;
  const out = new AsyncQueue<ImportProgressSnapshot>({ latestOnly: true, onClose: () => unsubscribe() });
  const deliver = (snapshot: ImportProgressSnapshot): void => {
    if (snapshot.seq <= lastSeq) return;
    lastSeq = snapshot.seq;
    out.push(snapshot);
    if (isTerminal(snapshot.state)) out.end();
  };
  unsubscribe = ctx.runtime.events.subscribe(importTopic(jobId), (message) => {
    const event = message as ImportEvent;
    if (event.kind === 'progress') deliver(event.progress);
  });
  currentProgress(ctx, jobId).then(
    (snapshot) => (snapshot ? deliver(snapshot) : out.end()),
    (error: unknown) => {
      ctx.runtime.imports.log(`Could not read the progress of import ${jobId}`, error);
      out.end();
    },
  );
  return out;
}

/**
 * Row errors of one job in batches: every error found so far, then new ones as the job reports
 * them, until the job has ended and every error has been sent. A page is read (with a fresh fork)
 * only when the client asks for the next one: graphql-ws asks once the previous message went out,
 * so a client that reads slowly, or not at all, holds one page on the server, not the whole job.
 */
export function watchImportErrors(ctx: RequestContext, jobId: number): AsyncIterableIterator<ImportErrorBatchValue> {
  let cursor = 0;
  let ended = false;
  let closed = false;
  // Bumped by every event of the job: a page read before the bump may have missed its issues.
  let version = 0;
  let wake: (() => void) | undefined;
  const bump = (): void => {
    version += 1;
    wake?.();
  };
  const unsubscribe = ctx.runtime.events.subscribe(importTopic(jobId), (message) => {
    const event = message as ImportEvent;
    if (event.kind === 'progress' && isTerminal(event.progress.state)) ended = true;
    bump();
  });
  // Subscribed before reading the state: an end in between is seen either way.
  const started = currentProgress(ctx, jobId).then(
    (snapshot) => {
      if (!snapshot || isTerminal(snapshot.state)) ended = true;
    },
    () => {
      ended = true;
    },
  );
  const close = (): IteratorResult<ImportErrorBatchValue> => {
    if (!closed) {
      closed = true;
      unsubscribe();
      wake?.();
    }
    return { value: undefined, done: true };
  };

  const nextPage = async (): Promise<IteratorResult<ImportErrorBatchValue>> => {
    await started;
    while (!closed) {
      const seen = version;
      const endedBefore = ended;
      const rows = await selectRows(
        ctx.runtime.orm.em.fork(),
        `select * from import_row_issue where job_id = ? and kind = 'ERROR' and id > ? order by id limit ${ERRORS_PER_BATCH}`,
        [jobId, cursor],
      );
      if (closed) break;
      if (rows.length > 0) {
        const issues = rows.map(toImportIssueRow);
        cursor = issues[issues.length - 1].id;
        return { value: { jobId, errors: issues.map((issue) => ({ ...issue, correctedValue: issue.corrected })) }, done: false };
      }
      // Nothing new: done if the job had ended before this read, else wait for its next event.
      if (endedBefore) break;
      if (version === seen) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    return close();
  };

  const iterator: AsyncIterableIterator<ImportErrorBatchValue> = {
    next: () =>
      nextPage().catch((error: unknown) => {
        ctx.runtime.imports.log(`Could not read the errors of import ${jobId}`, error);
        return close();
      }),
    return: () => Promise.resolve(close()),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
