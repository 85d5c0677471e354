import { FRAUD_STATUSES, type FraudStatus } from '../../domain/customer/customer.entity.js';
import { CustomerErrorCode } from '../../domain/customer/customer.errors.js';
import { applyFraudStatusChanges, FRAUD_REASON_MAX_LENGTH, type FraudChange } from '../../domain/customer/fraud-status.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkStore, maxLength, requireChoice, requireValue } from '../checks/validators.js';
import { customerGoneIssue, customerNotFound, customerOfRow, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowIssue, RowReader, StagedValue } from './profile.js';
import { acceptedBatchRows, refusalOf, type MergeRow } from './service-merge.js';
import { recordIssuesWhere } from './set-checks.js';

/**
 * Fraud Status: sets customers' fraud status and reason. Each row is checked on its own
 * (identifier, status, reason, store), then against the org (the customer exists). A batch is
 * applied by `applyFraudStatusChanges`, the rule and writes behind `customerFraudStatusUpdate`
 * (only a CONFIRMED fraud can be RECONFIRMED; an audit entry per change), set-based and in file
 * order, so rows of one customer build on each other (CONFIRMED, then RECONFIRMED) as they would
 * one by one. Whether a row may apply depends on the rows before it, so a dry run merges each
 * batch and rolls it back.
 */

/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = { FRAUD_STATUS_TRANSITION_INVALID: CustomerErrorCode.descriptions.FRAUD_STATUS_TRANSITION_INVALID };

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'fraud_status', type: 'text' },
  { name: 'fraud_reason', type: 'text' },
  { name: 'store_id', type: 'bigint' },
] as const;

interface FraudRow extends MergeRow {
  readonly ident: string;
  readonly customerId: string | null;
  readonly fraudStatus: FraudStatus;
  readonly fraudReason: string;
  readonly storeId: string;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  return [
    prepareIdentifier(ctx, refs, row),
    requireChoice(row, 'fraudStatus', FRAUD_STATUSES, 'FRAUD_STATUS_INVALID'),
    maxLength(row, 'fraudReason', requireValue(row, 'fraudReason'), FRAUD_REASON_MAX_LENGTH),
    checkStore(row, 'storeCode', refs, ctx.job.options, true),
  ];
}

export const fraudStatusProfile: ImportProfile = {
  name: 'FRAUD_STATUS',
  domainIssueCodes: DOMAIN_ISSUE_CODES,
  stagingColumns: STAGING,
  batchRows: 5_000,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage));
  },
  async mergeBatch(tx, stage, batch) {
    const rows = await acceptedBatchRows<FraudRow>(tx, stage, batch, 's.ident, s.fraud_status, s.fraud_reason, s.store_id, c.id as customer_id', customerOfRow(tx));
    const issues: RowIssue[] = [];
    const applying: { row: FraudRow; change: FraudChange }[] = [];
    for (const row of rows) {
      if (row.customerId === null) issues.push(customerGoneIssue(tx, row));
      else applying.push({ row, change: { customerId: Number(row.customerId), status: row.fraudStatus, reason: row.fraudReason, storeId: Number(row.storeId) } });
    }
    const refused = await applyFraudStatusChanges(tx, applying.map(({ change }) => change));
    for (const [index, error] of refused) {
      const issue = refusalOf(tx, applying[index].row, error, { fields: { status: 'fraudStatus', reason: 'fraudReason' } });
      if (!issue) throw error;
      issues.push(issue);
    }
    issues.sort((a, b) => a.row - b.row);
    return { applied: applying.length - refused.size, issues };
  },
};
