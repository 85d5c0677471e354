import type { RowErrorCode } from '../rows/issue-codes.js';
import type { JobContext, StageTable } from './profile.js';

/**
 * A check over all staged rows at once, as SQL: every staged row `s` the query finds gets the
 * error. Codes, fields and SQL fragments come from code, never from input.
 */
export interface IssueQuery {
  readonly code: RowErrorCode;
  readonly field: string;
  /** SQL for the offending value. */
  readonly value: string;
  /** SQL for the message. */
  readonly message: string;
  /** FROM clause; the staged row is `s`. */
  readonly from: string;
  readonly where?: string;
}

/** Records the query's rows as errors (idempotently: a row gets one error per code and field). */
export async function recordIssuesWhere(ctx: JobContext, stage: StageTable, query: IssueQuery): Promise<void> {
  await ctx.em.execute(
    `insert into import_row_issue (job_id, row, line, kind, code, field, value, message)
     select distinct on (s.row) ${stage.jobId}, s.row, s.line, 'ERROR', '${query.code}', '${query.field}', (${query.value})::text, ${query.message}
     from ${query.from}
     where ${query.where ?? 'true'}
     on conflict do nothing`,
  );
}
