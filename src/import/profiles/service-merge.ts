import { selectRows, toDate } from '../../core/sql/rows.js';
import { formatInZone } from '../../core/time.js';
import { toUserErrors } from '../../core/errors.js';
import { importRowKey, type ImportRowKey } from '../../domain/idempotency/idempotency.service.js';
import { isImportIssueCode, type RowErrorCode } from '../checks/issue-codes.js';
import { identifierField } from './catalog.js';
import { acceptedRows, type BatchRange, type JobContext, type MergeResult, type RowIssue, type StageTable } from './profile.js';

/**
 * Merging through the domain services: the rules of a redemption, a purchase, a badge, a status
 * change… live in their service once, and an import applies exactly them, either row by row
 * (`mergeRowByRow`: each call nests in a SAVEPOINT of the batch's transaction, see
 * db/transaction.ts, so a row the service refuses undoes its own writes alone) or a batch at a
 * time where the service has a set-based form. Either way a service's refusal becomes the row's
 * error (`refusalOf`) and the batch goes on. A code the profile does not list
 * (`domainIssueCodes`) is not a row's to carry: such a failure (a misconfigured org, a bug)
 * fails the batch, which the job retries and then reports.
 */

/**
 * Rows per batch for profiles merged row by row. Each row is a SAVEPOINT (a subtransaction) of the
 * batch's transaction: a few hundred keep a batch short-lived and its subtransactions few, and
 * progress moves often.
 */
export const SERVICE_BATCH_ROWS = 250;

/**
 * Service codes that mean what one of the import's own codes means, so a failure reads the same
 * whether validation found it or the service did at merge time (the data changed in between).
 */
const SAME_AS_ROW_CODE: Readonly<Record<string, RowErrorCode>> = {
  INVALID_INPUT: 'VALUE_INVALID',
  STORE_NOT_FOUND: 'STORE_UNKNOWN',
  STATUS_LABEL_NOT_FOUND: 'STATUS_LABEL_UNKNOWN',
  CARD_SERIES_NOT_FOUND: 'CARD_SERIES_UNKNOWN',
  CARD_STATUS_LABEL_NOT_FOUND: 'CARD_STATUS_LABEL_UNKNOWN',
  CARD_NUMBER_INVALID_FOR_SERIES: 'CARD_NUMBER_INVALID',
  CARD_ALREADY_ISSUED: 'CARD_BELONGS_TO_OTHER_CUSTOMER',
  BADGE_NOT_FOUND: 'BADGE_UNKNOWN',
  USER_GROUP_NOT_FOUND: 'GROUP_NOT_FOUND',
  INCENTIVE_SERIES_NOT_FOUND: 'COUPON_SERIES_UNKNOWN',
};

/** The import code a service's error code is reported under. */
export function rowCodeOf(serviceCode: string): string {
  return SAME_AS_ROW_CODE[serviceCode] ?? serviceCode;
}

/** What every row read for a merge carries. */
export interface MergeRow {
  readonly row: number;
  readonly line: number;
}

/** How a service's refusal reads as a row's error. */
export interface RefusalReading {
  /**
   * The profile field a service's input field stands for, where the names differ: keys are the
   * error's field path without `input` and list indexes (`code` → `couponCode`, `lineItems.sku` →
   * `itemSku`); `customer` stands for the identifier field.
   */
  readonly fields?: Readonly<Record<string, string>>;
  /** The profile field the staged `ident` came from; the template's identifier field by default. */
  readonly identifierField?: string;
  /** Fields read as timestamps: reported in the org's time zone. */
  readonly dateFields?: readonly string[];
}

/**
 * A row's value of a profile field, for the report: its column of the same name (camelCased),
 * the identifier from `ident`, a timestamp in the org's zone (read in a transaction, it is text).
 */
function reportedValue(tx: JobContext, row: MergeRow, field: string, identifier: string, dateFields: readonly string[]): string | null {
  const value = (row as unknown as Record<string, unknown>)[field === identifier ? 'ident' : field];
  if (value === null || value === undefined) return null;
  return dateFields.includes(field) ? formatInZone(toDate(value), tx.timeZone) : String(value);
}

/**
 * The row error a service's refusal of a row makes: its code (as the import's own when they mean
 * the same), the profile field it concerns and the row's value of it. Undefined when the error is
 * not a refusal a row may carry (a bug, a misconfigured org): the batch must fail then.
 */
export function refusalOf(tx: JobContext, row: MergeRow, error: unknown, reading: RefusalReading = {}): RowIssue | undefined {
  const [refusal] = toUserErrors(error) ?? [];
  const code = refusal ? rowCodeOf(refusal.code) : undefined;
  if (!refusal || !code || !(isImportIssueCode(code) || code in tx.job.domainIssueCodes)) return undefined;
  const identifier = reading.identifierField ?? identifierField(tx.job.options);
  const fields: Readonly<Record<string, string>> = { customer: identifier, ...reading.fields };
  const path = (refusal.field ?? []).filter((part) => part !== 'input' && !/^[0-9]+$/.test(part)).join('.');
  const field = fields[path] ?? path.split('.').at(-1) ?? '';
  return { row: row.row, line: row.line, kind: 'ERROR', code, field, value: reportedValue(tx, row, field, identifier, reading.dateFields ?? []), corrected: null, message: refusal.message };
}

/** The accepted rows of a batch in row order: `row`, `line` and the columns `select` names over `s` and `joins`. */
export function acceptedBatchRows<R extends MergeRow>(tx: JobContext, stage: StageTable, batch: BatchRange, select: string, joins = ''): Promise<R[]> {
  return selectRows<R>(
    tx.em,
    `select s.row, s.line, ${select} from ${stage.name} s ${joins}
      where s.row between ? and ? and ${acceptedRows(stage, batch)} order by s.row`,
    [batch.firstRow, batch.lastRow],
  );
}

export interface RowByRowMerge<R extends MergeRow> extends RefusalReading {
  /** The columns to read besides `row` and `line`, over the staged row `s` and `joins`. */
  readonly select: string;
  /** Joins after `from <stage> s` (e.g. the customer the row names). */
  readonly joins?: string;
  /**
   * Applies one row. A DomainError must leave nothing of the row behind: one service call does
   * that by itself; several calls for one row go inside one `inTransaction`.
   */
  apply(tx: JobContext, row: R): Promise<void>;
}

/** Merges the accepted rows of a batch in row order, each through `merge.apply`. */
export async function mergeRowByRow<R extends MergeRow>(tx: JobContext, stage: StageTable, batch: BatchRange, merge: RowByRowMerge<R>): Promise<MergeResult> {
  const rows = await acceptedBatchRows<R>(tx, stage, batch, merge.select, merge.joins);
  const issues: RowIssue[] = [];
  for (const row of rows) {
    try {
      await merge.apply(tx, row);
    } catch (error) {
      // A business failure (or a known constraint a race ran into) refuses the row; anything else fails the batch.
      const issue = refusalOf(tx, row, error, merge);
      if (!issue) throw error;
      issues.push(issue);
    }
  }
  return { applied: rows.length - issues.length, issues };
}

/**
 * An idempotency key for what a row of a job does: a job merging a row again writes nothing twice.
 * It lives in the import scope, apart from every key a client sends (see `ImportRowKey`).
 */
export function rowIdempotencyKey(tx: JobContext, row: number): ImportRowKey {
  return importRowKey(tx.job.id, row);
}
