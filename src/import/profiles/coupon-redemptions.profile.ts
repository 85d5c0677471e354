import { toDate } from '../../core/sql/rows.js';
import { IncentiveErrorCode } from '../../domain/incentive/incentive.errors.js';
import { redeemCoupon } from '../../domain/incentive/redemption.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkAmount, checkRequiredDate, checkStore, maxLength, requireValue } from '../checks/validators.js';
import { customerByIdentifier, customerNotFound, customerRef, identifierType, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StageTable, StagedValue } from './profile.js';
import { mergeRowByRow, rowIdempotencyKey, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { recordIssuesWhere, type IssueQuery } from './set-checks.js';

/**
 * Coupon Redemptions: redeems coupons offline in bulk. Each row is checked on its own (series,
 * code, customer identifier, store, redemption date, bill number and amount; an unknown series
 * is replaced by the template's replacement series, reported as a correction), then against the
 * org (the customer exists; with validateTransactionNumbers, the bill is one of the customer's).
 * Each accepted row is redeemed by `redeemCoupon`, the service behind `couponRedeem`: holder,
 * validity, redemption window (unless skipRedemptionRangeCheck), per-code and per-customer limits,
 * exactly once under concurrency. Whether a row may redeem depends on the rows before it (the
 * same single-use coupon twice), so a dry run merges each batch and rolls it back. Each row
 * redeems under an idempotency key of its own: merged again, it writes nothing twice.
 */

const { descriptions } = IncentiveErrorCode;
/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = {
  COUPON_NOT_FOUND: descriptions.COUPON_NOT_FOUND,
  COUPON_NOT_ACTIVE: descriptions.COUPON_NOT_ACTIVE,
  COUPON_NOT_HELD_BY_CUSTOMER: descriptions.COUPON_NOT_HELD_BY_CUSTOMER,
  COUPON_OUTSIDE_REDEMPTION_RANGE: descriptions.COUPON_OUTSIDE_REDEMPTION_RANGE,
  COUPON_ALREADY_REDEEMED: descriptions.COUPON_ALREADY_REDEEMED,
  COUPON_CUSTOMER_LIMIT_REACHED: descriptions.COUPON_CUSTOMER_LIMIT_REACHED,
};

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'series_id', type: 'bigint' },
  { name: 'coupon_code', type: 'text' },
  { name: 'store_id', type: 'bigint' },
  { name: 'redeemed_at', type: 'timestamptz' },
  { name: 'transaction_number', type: 'text' },
  { name: 'bill_amount', type: 'numeric' },
] as const;

interface RedemptionRow extends MergeRow {
  readonly ident: string;
  readonly seriesId: string;
  readonly couponCode: string;
  readonly storeId: string;
  readonly redeemedAt: Date | string;
  readonly transactionNumber: string;
  readonly billAmount: string;
}

/** The series a row names, or the template's replacement for an unknown one (a correction). */
function checkSeries(ctx: JobContext, refs: ReferenceData, row: RowReader): number | null {
  const code = requireValue(row, 'seriesCode');
  if (code === null) return null;
  const id = refs.couponSeries.get(code);
  if (id !== undefined) return id;
  const replacement = ctx.job.options.replacementCouponSeriesId;
  const replacementCode = replacement === undefined ? undefined : refs.couponSeriesCodeById.get(replacement);
  if (replacement !== undefined && replacementCode !== undefined) {
    row.correct('COUPON_SERIES_REPLACED', 'seriesCode', code, replacementCode, `The unknown coupon series "${code}" was replaced by ${replacementCode}.`);
    return replacement;
  }
  row.error('COUPON_SERIES_UNKNOWN', 'seriesCode', code, `The org has no coupon series "${code}".`);
  return null;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const options = ctx.job.options;
  return [
    prepareIdentifier(ctx, refs, row),
    checkSeries(ctx, refs, row),
    maxLength(row, 'couponCode', requireValue(row, 'couponCode'), 64),
    checkStore(row, 'storeCode', refs, options, true),
    checkRequiredDate(row, 'redeemedAt', refs, options, ctx.clock.now()),
    maxLength(row, 'transactionNumber', requireValue(row, 'transactionNumber'), 100),
    requireValue(row, 'billAmount') === null ? null : checkAmount(row, 'billAmount', { positive: true }),
  ];
}

/** validateTransactionNumbers: the bill a coupon was redeemed on must be one of the customer's transactions. */
function transactionNotFound(ctx: JobContext, stage: StageTable): IssueQuery {
  return {
    code: 'TRANSACTION_NOT_FOUND',
    field: 'transactionNumber',
    value: 's.transaction_number',
    message: `'The customer has no transaction with the bill number ' || s.transaction_number || '.'`,
    from: `${stage.name} s ${customerByIdentifier(identifierType(ctx), ctx.org.id, 'c', 's.ident')}`,
    where: `s.transaction_number is not null and not exists (select 1 from "transaction" t where t.org_id = ${ctx.org.id} and t.customer_id = c.id and t.bill_number = s.transaction_number)`,
  };
}

export const couponRedemptionsProfile: ImportProfile = {
  name: 'COUPON_REDEMPTIONS',
  domainIssueCodes: DOMAIN_ISSUE_CODES,
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, customerNotFound(ctx, stage));
    if (ctx.job.options.validateTransactionNumbers) await recordIssuesWhere(ctx, stage, transactionNotFound(ctx, stage));
  },
  mergeBatch(tx, stage, batch) {
    const options = tx.job.options;
    return mergeRowByRow<RedemptionRow>(tx, stage, batch, {
      select: 's.ident, s.series_id, s.coupon_code, s.store_id, s.redeemed_at, s.transaction_number, s.bill_amount',
      fields: { code: 'couponCode', redemptionTime: 'redeemedAt', seriesId: 'seriesCode', replacementSeriesId: 'seriesCode', idempotencyKey: '' },
      dateFields: ['redeemedAt'],
      async apply(rowTx, row) {
        await redeemCoupon(rowTx, {
          code: row.couponCode,
          customer: customerRef(rowTx, row.ident),
          transactionNumber: row.transactionNumber,
          billAmount: Number(row.billAmount),
          redemptionTime: toDate(row.redeemedAt),
          store: { id: Number(row.storeId) },
          idempotencyKey: rowIdempotencyKey(rowTx, row.row),
          options: {
            skipRedemptionRangeCheck: options.skipRedemptionRangeCheck ?? false,
            seriesId: Number(row.seriesId),
            replacementSeriesId: options.replacementCouponSeriesId ?? null,
            // History: a redemption of any past date, not only within the org's window for clients.
            allowBackdating: true,
          },
        });
      },
    });
  },
};
