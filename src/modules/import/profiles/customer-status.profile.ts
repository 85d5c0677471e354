import { updateCustomerStatus } from '../../customer/customer.service.js';
import { loadReferenceData, type ReferenceData } from '../rows/reference-data.js';
import { checkStore, maxLength, requireValue } from '../rows/validators.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { recordIssuesWhere } from './set-checks.js';

/**
 * Customer Status: sets customers' status labels (and the reason). Each row is checked on its own
 * (identifier, label, store), then against the org (the customer exists); each accepted row is
 * applied by `updateCustomerStatus`, the service behind `customerStatusUpdate`, so an import
 * changes a status exactly as member care does: label and reason, the timeline event, the audit
 * entry. Per row rather than set-based: those three writes are the service's to decide, and a
 * status import is a maintenance task where a few thousand rows a second are plenty.
 * Rows for one customer apply in file order: the last one wins.
 */

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'status_label', type: 'text' },
  { name: 'status_reason', type: 'text' },
  { name: 'store_id', type: 'bigint' },
] as const;

interface StatusRow extends MergeRow {
  readonly ident: string;
  readonly statusLabel: string;
  readonly statusReason: string | null;
  readonly storeId: string | null;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const ident = prepareIdentifier(ctx, refs, row);
  let label = requireValue(row, 'statusLabel');
  if (label !== null && !refs.statusLabels.has(label)) {
    row.error('STATUS_LABEL_UNKNOWN', 'statusLabel', label, `The org has no status label "${label}".`);
    label = null;
  }
  return [ident, label, maxLength(row, 'statusReason', row.value('statusReason') || null, 500), checkStore(row, 'storeCode', refs, ctx.job.options, false)];
}

export const customerStatusProfile: ImportProfile = {
  name: 'CUSTOMER_STATUS',
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
    return mergeRowByRow<StatusRow>(tx, stage, batch, {
      select: 's.ident, s.status_label, s.status_reason, s.store_id',
      fields: { label: 'statusLabel', reason: 'statusReason' },
      async apply(rowTx, row) {
        await updateCustomerStatus(rowTx, {
          customer: customerRef(rowTx, row.ident),
          label: row.statusLabel,
          reason: row.statusReason,
          store: row.storeId === null ? null : { id: Number(row.storeId) },
        });
      },
    });
  },
};
