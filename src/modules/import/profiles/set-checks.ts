import { isImportIssueCode, type RowErrorCode } from '../rows/issue-codes.js';
import type { JobContext, StageTable } from './profile.js';

/**
 * A check over all staged rows at once, as SQL: every staged row `s` the query finds gets the
 * error. Codes, fields and SQL fragments come from code, never from input.
 */
export interface IssueQuery {
  /** A row code, or a domain code the profile registered (a check a service would make while merging, made early). */
  readonly code: RowErrorCode | (string & {});
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
  if (!isImportIssueCode(query.code)) throw new Error(`${query.code} is not a registered import issue code`);
  await ctx.em.execute(
    `insert into import_row_issue (job_id, row, line, kind, code, field, value, message)
     select distinct on (s.row) ${stage.jobId}, s.row, s.line, 'ERROR', '${query.code}', '${query.field}', (${query.value})::text, ${query.message}
     from ${query.from}
     where ${query.where ?? 'true'}
     on conflict do nothing`,
  );
}

export interface DuplicateSpec {
  readonly code: RowErrorCode;
  readonly field: string;
  /** Staged columns that together make the value (all non-null), e.g. `['store_id', 'bill_number', 'bill_date']`. */
  readonly columns: readonly string[];
  /** What the value is, for the message: `the card number`. */
  readonly label: string;
  /** SQL for the value as reported; the first column by default. */
  readonly value?: string;
}

/**
 * A value carried by several rows of the file: every row carrying it is rejected (none is more
 * right than the others), and the message names the rows that share it.
 */
export function duplicatesInFile(stage: StageTable, spec: DuplicateSpec): IssueQuery {
  const columns = spec.columns.join(', ');
  const value = spec.value ?? `s.${spec.columns[0]}`;
  return {
    code: spec.code,
    field: spec.field,
    value,
    message: `'The ${spec.label} ' || ${value} || ' appears on ' || d.n || ' rows of the file (rows ' || d.rows || ').'`,
    from: `${stage.name} s join (
             select ${columns}, count(*) as n, array_to_string((array_agg(row order by row))[1:5], ', ') || case when count(*) > 5 then ', …' else '' end as rows
             from ${stage.name} where ${spec.columns.map((column) => `${column} is not null`).join(' and ')}
             group by ${columns} having count(*) > 1
           ) d on ${spec.columns.map((column) => `d.${column} = s.${column}`).join(' and ')}`,
  };
}
