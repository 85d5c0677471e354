import type { ServiceContext } from '../../domain/context.js';
import type { ImportProfileName } from '../import.entity.js';
import type { ImportOptions } from '../import.options.js';
import type { RowCorrectionCode, RowErrorCode } from '../checks/issue-codes.js';
import type { FieldMapping } from './catalog.js';

/** The context of a running import: a service context acting as the job, plus what the job runs with. */
export interface JobContext extends ServiceContext {
  readonly job: {
    readonly id: number;
    readonly profile: ImportProfileName;
    readonly mapping: readonly FieldMapping[];
    readonly options: ImportOptions;
    readonly dryRun: boolean;
    /** The domain codes its profile's rows may carry (see ImportProfile.domainIssueCodes). */
    readonly domainIssueCodes: Readonly<Record<string, string>>;
  };
}

/** A problem found with one row (an error rejects it; a correction only reports a change). */
export interface RowIssue {
  readonly row: number;
  readonly line: number;
  readonly kind: 'ERROR' | 'CORRECTION';
  readonly code: string;
  readonly field: string;
  readonly value: string | null;
  readonly corrected: string | null;
  readonly message: string;
}

/** One CSV row as a profile sees it while preparing it: mapped, trimmed values and a place to report issues. */
export interface RowReader {
  readonly row: number;
  readonly line: number;
  /** The mapped value of a field, trimmed; undefined when the template does not map the field. */
  value(field: string): string | undefined;
  /** Whether the template maps the field (its column is in the file). */
  has(field: string): boolean;
  /** Values of a family of fields (`custom.`, `extended.`, `subscription.`): [name after the prefix, value]. */
  family(prefix: string): readonly (readonly [string, string])[];
  error(code: RowErrorCode | string, field: string, value: string | null | undefined, message: string): void;
  correct(code: RowCorrectionCode, field: string, before: string, after: string, message: string): void;
  /** Whether an error was reported for the row. */
  readonly rejected: boolean;
}

/** A column of a profile's staging table. */
export interface StagingColumn {
  readonly name: string;
  /** PostgreSQL type, e.g. `text`, `bigint`, `timestamptz`, `jsonb`, `boolean`, `numeric`. */
  readonly type: string;
}

export type StagedValue = string | number | boolean | Date | null | Record<string, unknown> | readonly unknown[];

/** A profile prepared for one run: reference data (stores, labels, series, …) loaded once. */
export interface PreparedProfile {
  /**
   * Checks and converts one row: its staging values in `stagingColumns` order. A rejected row
   * (errors reported on `row`) is staged too, with null for what was invalid: the checks across
   * rows still see what it carries; merges skip it.
   */
  prepare(row: RowReader): StagedValue[];
}

/** The staged rows of a job: a table `import_stage.job_<id>` with `row`, `line` and the profile's columns. */
export interface StageTable {
  readonly name: string;
  readonly jobId: number;
}

export interface BatchRange {
  readonly batch: number;
  readonly firstRow: number;
  readonly lastRow: number;
}

export interface MergeResult {
  /** Rows written to the main tables. */
  readonly applied: number;
  /** Rows the merge itself refused (e.g. a coupon redeemed by an earlier row), reported as errors. */
  readonly issues: readonly RowIssue[];
  /** For profiles with a fast and a guarded way to write: whether the guarded way wrote the batch (recorded with it). */
  readonly guarded?: boolean;
}

/**
 * What an import profile implements. The pipeline around it is the same for all: parse → prepare
 * each row (here) → COPY into staging → `check` (set-based SQL over all staged rows) → `mergeBatch`
 * for each batch of accepted rows, each batch in its own transaction.
 */
export interface ImportProfile {
  /**
   * Codes of the domain rules its merge applies (a service's DomainError codes, with their
   * descriptions) that its rows may carry as errors; any other refusal of a service fails the batch.
   */
  readonly domainIssueCodes?: Readonly<Record<string, string>>;
  readonly name: ImportProfileName;
  readonly stagingColumns: readonly StagingColumn[];
  /** Rows per merge batch. */
  readonly batchRows: number;
  /**
   * Whether a dry run merges each batch and rolls it back: for profiles whose rules depend on the
   * rows merged before (a coupon redeemed by an earlier row). Other profiles' checks see everything.
   */
  readonly dryRunMerges: boolean;
  /**
   * How many batches may merge at once, each on its own connection (1 when absent: one after the
   * other, in row order). More only where no two accepted rows can touch the same rows, so batches
   * neither wait for nor depend on each other.
   */
  mergeConcurrency?(ctx: JobContext): number;
  begin(ctx: JobContext): Promise<PreparedProfile>;
  /** Checks across staged rows and against existing data; writes ERROR issues (idempotently). */
  check(ctx: JobContext, stage: StageTable): Promise<void>;
  /** Work before the first batch is merged (idempotent: a resumed merge runs it again), in its own transaction. */
  beforeMerge?(tx: JobContext, stage: StageTable): Promise<void>;
  /** Merges one batch of rows that have no ERROR issue, inside the caller's transaction. */
  mergeBatch(tx: JobContext, stage: StageTable, batch: BatchRange): Promise<MergeResult>;
  /** Work after every batch is merged (idempotent: a resumed job may run it again), in its own transaction. */
  afterMerge?(tx: JobContext, stage: StageTable): Promise<void>;
  /** Suffixes of further tables the profile keeps beside the staging table (`<stage>_<suffix>`), dropped with it. */
  readonly auxTables?: readonly string[];
}

/**
 * SQL that keeps staged rows without errors: `s` is the staging alias. Given the batch the rows
 * are in, the batch's rejected rows are read once into a hash (a hashed subplan, at most a batch
 * of row numbers) instead of being looked up row by row: a lookup per row would cost more than
 * the rest of building the batch's rows.
 */
export function acceptedRows(stage: StageTable, batch?: BatchRange): string {
  if (batch) {
    return `s.row not in (select i.row from import_row_issue i where i.job_id = ${stage.jobId} and i.kind = 'ERROR' and i.row between ${batch.firstRow} and ${batch.lastRow})`;
  }
  return `not exists (select 1 from import_row_issue i where i.job_id = ${stage.jobId} and i.row = s.row and i.kind = 'ERROR')`;
}
