import { boundedTextSql } from '../checks/bounded-text.js';
import { isImportIssueCode, type RowErrorCode } from '../checks/issue-codes.js';
import { poolOf } from '../file-store.js';
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
export function recordIssuesWhere(ctx: JobContext, stage: StageTable, query: IssueQuery): Promise<void> {
  return recordIssuesOf(ctx, stage, [query]);
}

/** Checks that find their rows side by side (each on its own connection). */
const CHECK_LANES = 2;

/**
 * Records several checks' rows as errors (idempotently: a row gets one error per code and field),
 * the checks running two at a time: each is one query over every staged row, and they are
 * independent. What each finds goes to a table of its own first; the issues are then inserted
 * check by check, in row order, so their ids come in the same order whichever check finished
 * first (`importErrors` streams by id).
 */
export async function recordIssuesOf(ctx: JobContext, stage: StageTable, queries: readonly IssueQuery[]): Promise<void> {
  for (const query of queries) {
    if (!isImportIssueCode(query.code) && !(query.code in ctx.job.domainIssueCodes)) throw new Error(`${query.code} is neither an import issue code nor a domain code of the profile`);
  }
  const found = queries.map((_, index) => `${stage.name}_found_${index}`);
  const pool = await poolOf(ctx.em);
  try {
    let next = 0;
    let failed = false;
    const lane = async (): Promise<void> => {
      const client = await pool.connect();
      try {
        while (next < queries.length && !failed) {
          const index = next++;
          const query = queries[index];
          await client.query('begin');
          try {
            // Two lanes already use both cores: no parallel workers on top.
            await client.query('set local max_parallel_workers_per_gather = 0');
            await client.query(`drop table if exists ${found[index]}`);
            await client.query(
              `create unlogged table ${found[index]} as
               select distinct on (s.row) s.row, s.line, ${boundedTextSql(`(${query.value})::text`)} as value, ${boundedTextSql(`(${query.message})::text`)} as message
               from ${query.from}
               where ${query.where ?? 'true'}`,
            );
            await client.query('commit');
          } catch (error) {
            failed = true;
            await client.query('rollback').catch(() => undefined);
            throw error;
          }
        }
      } finally {
        client.release();
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(CHECK_LANES, queries.length) }, lane));
    const refused = lanes.find((outcome) => outcome.status === 'rejected');
    if (refused) throw refused.reason;
    for (const [index, query] of queries.entries()) {
      await ctx.em.execute(
        `insert into import_row_issue (job_id, row, line, kind, code, field, value, message)
         select ${stage.jobId}, row, line, 'ERROR', '${query.code}', '${query.field}', value, message from ${found[index]} order by row
         on conflict do nothing`,
      );
    }
  } finally {
    if (found.length > 0) await pool.query(`drop table if exists ${found.join(', ')}`);
  }
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
