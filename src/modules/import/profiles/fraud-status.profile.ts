import { FRAUD_STATUSES, type FraudStatus } from '../../customer/customer.entity.js';
import { CustomerErrorCode } from '../../customer/customer.errors.js';
import { updateFraudStatus } from '../../customer/fraud-status.service.js';
import { registerImportIssueCodes } from '../rows/issue-codes.js';
import { loadReferenceData, type ReferenceData } from '../rows/reference-data.js';
import { checkStore, maxLength, requireChoice, requireValue } from '../rows/validators.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { recordIssuesWhere } from './set-checks.js';

/**
 * Fraud Status: sets customers' fraud status and reason. Each row is checked on its own
 * (identifier, status, reason, store), then against the org (the customer exists); each accepted
 * row is applied by `updateFraudStatus`, the service behind `customerFraudStatusUpdate`, with its
 * rules (only a CONFIRMED fraud can be RECONFIRMED) and audit entry. Per row, in file order, so
 * rows of one customer build on each other (CONFIRMED, then RECONFIRMED), as they would one by one.
 */

registerImportIssueCodes({ FRAUD_STATUS_TRANSITION_INVALID: CustomerErrorCode.descriptions.FRAUD_STATUS_TRANSITION_INVALID });

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'fraud_status', type: 'text' },
  { name: 'fraud_reason', type: 'text' },
  { name: 'store_id', type: 'bigint' },
] as const;

interface FraudRow extends MergeRow {
  readonly ident: string;
  readonly fraudStatus: FraudStatus;
  readonly fraudReason: string;
  readonly storeId: string;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  return [
    prepareIdentifier(ctx, refs, row),
    requireChoice(row, 'fraudStatus', FRAUD_STATUSES, 'FRAUD_STATUS_INVALID'),
    maxLength(row, 'fraudReason', requireValue(row, 'fraudReason'), 500),
    checkStore(row, 'storeCode', refs, ctx.job.options, true),
  ];
}

export const fraudStatusProfile: ImportProfile = {
  name: 'FRAUD_STATUS',
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage));
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<FraudRow>(tx, stage, batch, {
      select: 's.ident, s.fraud_status, s.fraud_reason, s.store_id',
      fields: { status: 'fraudStatus', reason: 'fraudReason' },
      async apply(rowTx, row) {
        await updateFraudStatus(rowTx, { customer: customerRef(rowTx, row.ident), status: row.fraudStatus, reason: row.fraudReason, store: { id: Number(row.storeId) } });
      },
    });
  },
};
