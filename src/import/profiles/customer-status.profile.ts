import { writeStatusChanges, type StatusChange } from '../../domain/customer/customer.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkStore, maxLength, requireValue } from '../checks/validators.js';
import { customerGoneIssue, customerNotFound, customerOfRow, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowIssue, RowReader, StagedValue } from './profile.js';
import { acceptedBatchRows, type MergeRow } from './service-merge.js';
import { recordIssuesWhere } from './set-checks.js';

/**
 * Customer Status: sets customers' status labels (and the reason). Each row is checked on its own
 * (identifier, label among the org's, store), then against the org (the customer exists). A batch
 * is written set-based by `writeStatusChanges`, the writes behind `customerStatusUpdate`: label and
 * reason, a STATUS_CHANGED timeline event and an audit entry per row. Set-based rather than one
 * service call per row: a status file can be large, and nothing about a row depends on the rows
 * before it (rows of one customer apply in file order: the last one wins), so every check is made
 * while validating and a dry run need not merge.
 */

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'status_label_id', type: 'bigint' },
  { name: 'status_reason', type: 'text' },
  { name: 'store_id', type: 'bigint' },
] as const;

interface StatusRow extends MergeRow {
  readonly ident: string;
  readonly customerId: string | null;
  readonly labelId: string | null;
  readonly statusLabel: string;
  readonly standardStatus: string;
  readonly statusReason: string | null;
  readonly storeId: string | null;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const ident = prepareIdentifier(ctx, refs, row);
  const label = requireValue(row, 'statusLabel');
  const labelId = label === null ? null : (refs.statusLabels.get(label)?.id ?? null);
  if (label !== null && labelId === null) row.error('STATUS_LABEL_UNKNOWN', 'statusLabel', label, `The org has no status label "${label}".`);
  return [ident, labelId, maxLength(row, 'statusReason', row.value('statusReason') || null, 500), checkStore(row, 'storeCode', refs, ctx.job.options, false)];
}

export const customerStatusProfile: ImportProfile = {
  name: 'CUSTOMER_STATUS',
  stagingColumns: STAGING,
  batchRows: 5_000,
  dryRunMerges: false,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage));
  },
  async mergeBatch(tx, stage, batch) {
    const rows = await acceptedBatchRows<StatusRow>(
      tx,
      stage,
      batch,
      's.ident, s.status_reason, s.store_id, c.id as customer_id, sl.id as label_id, sl.label as status_label, sl.standard_status',
      `${customerOfRow(tx)} left join status_label sl on sl.id = s.status_label_id`,
    );
    const changes: StatusChange[] = [];
    const issues: RowIssue[] = [];
    for (const row of rows) {
      if (row.customerId === null) {
        issues.push(customerGoneIssue(tx, row));
        continue;
      }
      // Status labels are never removed (customers point at them).
      if (row.labelId === null) throw new Error(`Status label of row ${row.row} is gone`);
      const { statusLabel: label, standardStatus, statusReason: reason } = row;
      changes.push({ customerId: Number(row.customerId), labelId: Number(row.labelId), label, standardStatus, reason, storeId: row.storeId === null ? null : Number(row.storeId) });
    }
    await writeStatusChanges(tx, changes);
    return { applied: changes.length, issues };
  },
};
