/*
 * Coupon redemption, for `couponRedeem` and for the Coupon Redemption import profile.
 *
 * How an import calls it: `redeemCoupon(batchCtx, { code, customer: { id }, transactionNumber,
 * billAmount, redemptionTime, store: { id } , idempotencyKey: importRowKey(jobId, n), options: {
 * skipRedemptionRangeCheck, seriesId, replacementSeriesId, allowBackdating: true } })` for each row, inside the import's
 * transaction (`inTransaction(jobCtx, async (batch) => ...)`): the call nests in a SAVEPOINT, so a
 * DomainError (its `code` is the row's error) undoes that row alone and the batch goes on.
 * Standalone it opens its own transaction.
 */
import { formatInZone } from '../../core/time.js';
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError, refusedOnConflict } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { moneyAmount, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce, type ImportRowKey } from '../idempotency/idempotency.service.js';
import { eventTime } from '../org/backdating.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { IncentiveErrorCode } from './incentive.errors.js';
import { unusableReasons, validityOf } from './incentive-usability.js';
import { SERIES_COLUMNS, seriesJoin, toIncentiveRow, type IncentiveRow } from './incentive.rows.js';

export interface CouponRedemptionOptions {
  /** Redeem outside the series' redemption window (the import's "do not check redemption range"). */
  readonly skipRedemptionRangeCheck?: boolean;
  /** The series the code must belong to (the import's voucher series id). */
  readonly seriesId?: number | null;
  /** Used instead of `seriesId` when the org has no such series (the import's "replace invalid series"). */
  readonly replacementSeriesId?: number | null;
  /** An import of history: `redemptionTime` may lie any time in the past, not only within the org's backdating window. */
  readonly allowBackdating?: boolean;
}

export interface CouponRedemptionInput {
  readonly code: string;
  readonly customer: CustomerRef;
  /** The bill the coupon is redeemed in (required). */
  readonly transactionNumber: string;
  readonly billAmount: number;
  /** When it was redeemed; the clock's now by default. Not in the future, nor before the org's backdating window (unless `options.allowBackdating`). */
  readonly redemptionTime?: Date | null;
  /** Where, for attribution. */
  readonly store?: StoreRef | null;
  /** A client's key, or an import row's (claimed in a scope no client key reaches). */
  readonly idempotencyKey?: string | ImportRowKey | null;
  readonly options?: CouponRedemptionOptions;
}

export interface CouponRedemptionResult {
  readonly redemptionId: number;
  readonly incentiveId: number;
  readonly customerId: number;
  /** True when the idempotency key repeated an earlier request: nothing was written this time. */
  readonly replayed: boolean;
  /** True when `options.replacementSeriesId` stood in for an unknown `options.seriesId`. */
  readonly seriesReplaced: boolean;
}

async function seriesExists(tx: ServiceContext, seriesId: number): Promise<boolean> {
  if (!Number.isSafeInteger(seriesId)) return false;
  return (await selectRows(tx.em, 'select 1 from incentive_series where org_id = ? and id = ?', [tx.org.id, seriesId])).length > 0;
}

/** The series the code is looked up in, after the replacement rule; null for any series. */
async function seriesOfRedemption(tx: ServiceContext, options: CouponRedemptionOptions | undefined): Promise<{ seriesId: number | null; replaced: boolean }> {
  const seriesId = options?.seriesId ?? null;
  if (seriesId === null || (await seriesExists(tx, seriesId))) return { seriesId, replaced: false };
  const replacement = options?.replacementSeriesId ?? null;
  if (replacement === null) throw new DomainError(IncentiveErrorCode.INCENTIVE_SERIES_NOT_FOUND, 'The org has no incentive series with that id.', ['input', 'seriesId']);
  if (!(await seriesExists(tx, replacement))) {
    throw new DomainError(IncentiveErrorCode.INCENTIVE_SERIES_NOT_FOUND, 'The replacement series does not exist either.', ['input', 'replacementSeriesId']);
  }
  return { seriesId: replacement, replaced: true };
}

async function couponByCode(tx: ServiceContext, code: string, seriesId: number | null): Promise<IncentiveRow> {
  const rows = await selectRows(
    tx.em,
    `select i.*, ${SERIES_COLUMNS} from incentive i ${seriesJoin('i')}
      where i.org_id = ? and i.kind = 'COUPON' and i.code = ? and (?::bigint is null or i.series_id = ?::bigint)`,
    [tx.org.id, code, seriesId, seriesId],
  );
  if (!rows[0]) throw new DomainError(IncentiveErrorCode.COUPON_NOT_FOUND, `No coupon has the code "${code}"${seriesId === null ? '' : ' in that series'}.`, ['input', 'code']);
  return toIncentiveRow(rows[0]);
}

/** The checks on the coupon itself and its holder, at the redemption time. */
function assertRedeemable(tx: ServiceContext, coupon: IncentiveRow, customerId: number, at: Date, skipRange: boolean): void {
  const reasons = unusableReasons(coupon, at);
  const when = (instant: Date | null): string => (instant ? formatInZone(instant, tx.timeZone) : '');
  if (reasons.includes('REVOKED') || reasons.includes('EXPIRED')) {
    throw new DomainError(IncentiveErrorCode.COUPON_NOT_ACTIVE, `The coupon "${coupon.code}" is ${coupon.status.toLowerCase()}.`, ['input', 'code']);
  }
  if (reasons.includes('FULLY_REDEEMED')) throw alreadyRedeemed(coupon);
  if (coupon.series.holderOnly && coupon.holderId !== customerId) {
    throw new DomainError(IncentiveErrorCode.COUPON_NOT_HELD_BY_CUSTOMER, `The coupon "${coupon.code}" can only be redeemed by the customer holding it.`, ['input', 'customer']);
  }
  const validity = validityOf(coupon);
  if (reasons.includes('NOT_YET_VALID')) {
    throw new DomainError(IncentiveErrorCode.COUPON_NOT_ACTIVE, `The coupon "${coupon.code}" is valid from ${when(validity.from)}.`, ['input', 'code']);
  }
  if (reasons.includes('VALIDITY_ENDED')) {
    throw new DomainError(IncentiveErrorCode.COUPON_NOT_ACTIVE, `The coupon "${coupon.code}" was valid until ${when(validity.until)}.`, ['input', 'code']);
  }
  if (!skipRange && (reasons.includes('BEFORE_REDEMPTION_WINDOW') || reasons.includes('AFTER_REDEMPTION_WINDOW'))) {
    const from = coupon.series.redemptionFrom ? ` from ${when(coupon.series.redemptionFrom)}` : '';
    const until = coupon.series.redemptionUntil ? ` until ${when(coupon.series.redemptionUntil)}` : '';
    throw new DomainError(IncentiveErrorCode.COUPON_OUTSIDE_REDEMPTION_RANGE, `Codes of this series can be redeemed${from}${until}.`, ['input', 'redemptionTime']);
  }
}

function alreadyRedeemed(coupon: IncentiveRow): DomainError {
  const times = coupon.series.maxRedemptionsPerCode === 1 ? 'once' : `${coupon.series.maxRedemptionsPerCode} times`;
  return new DomainError(IncentiveErrorCode.COUPON_ALREADY_REDEEMED, `The coupon "${coupon.code}" can be redeemed ${times} and has been.`, ['input', 'code']);
}

/**
 * The per-customer limit of the series. Two redemptions by one customer of different codes of the
 * series would not meet on any row, so they meet on a transaction-scoped advisory lock instead.
 */
async function assertCustomerLimit(tx: ServiceContext, coupon: IncentiveRow, customerId: number): Promise<void> {
  const limit = coupon.series.maxRedemptionsPerCustomer;
  if (limit === null) return;
  await selectRows(tx.em, 'select pg_advisory_xact_lock(hashtextextended(?, 0)) as locked', [`coupon-series:${coupon.series.id}:customer:${customerId}`]);
  const [row] = await selectRows(
    tx.em,
    `select count(*) as redeemed from incentive_redemption r join incentive i on i.id = r.incentive_id
      where r.org_id = ? and r.customer_id = ? and i.series_id = ?`,
    [tx.org.id, customerId, coupon.series.id],
  );
  if (Number(row?.redeemed) >= limit) {
    throw new DomainError(IncentiveErrorCode.COUPON_CUSTOMER_LIMIT_REACHED, `A customer may redeem ${limit} code(s) of this series and has.`, ['input', 'customer']);
  }
}

/**
 * Counts the redemption on the code, if redemptions are left: one conditional UPDATE, so of any
 * number of concurrent redemptions only as many as the series allows get a row back (the others
 * wait for the row lock, then find the condition false). Returns the code's new redemption count.
 */
async function takeRedemption(tx: ServiceContext, coupon: IncentiveRow): Promise<number> {
  const rows = await writeRows(
    tx.em,
    `update incentive i set redemption_count = i.redemption_count + 1,
        status = case when i.redemption_count + 1 >= s.max_redemptions_per_code then 'REDEEMED' else i.status end
      from incentive_series s
      where i.org_id = ? and i.id = ? and s.id = i.series_id and i.status = 'ACTIVE' and i.redemption_count < s.max_redemptions_per_code
      returning i.redemption_count`,
    [tx.org.id, coupon.id],
  );
  if (rows[0]) return Number(rows[0].redemptionCount);
  const [now] = await selectRows(tx.em, 'select status from incentive where id = ?', [coupon.id]);
  if (now?.status === 'REVOKED' || now?.status === 'EXPIRED') {
    throw new DomainError(IncentiveErrorCode.COUPON_NOT_ACTIVE, `The coupon "${coupon.code}" is ${String(now.status).toLowerCase()}.`, ['input', 'code']);
  }
  throw alreadyRedeemed(coupon);
}

/**
 * Redeems a coupon for a customer in a bill: the code must exist (in the named series), be active
 * and valid at the redemption time, belong to the customer when its series is holder-only, be
 * inside the series' redemption window (unless skipped) and have redemptions left, for the code
 * and for the customer. Exactly once under concurrency: see `takeRedemption`, backed by the unique
 * (incentive, sequence) of redemption rows.
 */
export function redeemCoupon(ctx: ServiceContext, input: CouponRedemptionInput): Promise<CouponRedemptionResult> {
  return inTransaction(ctx, async (tx) => {
    const code = requiredText(input.code, ['input', 'code'], 64);
    const transactionNumber = requiredText(input.transactionNumber, ['input', 'transactionNumber'], 100);
    const billAmount = moneyAmount(input.billAmount, ['input', 'billAmount']);
    const redemptionTime = input.redemptionTime
      ? await eventTime(tx, input.redemptionTime, ['input', 'redemptionTime'], { allowBackdating: input.options?.allowBackdating })
      : null;
    const customerId = await resolveCustomerId(tx, input.customer);
    const storeId = input.store ? await resolveStoreId(tx, input.store) : null;
    const series = await seriesOfRedemption(tx, input.options);
    const skipRange = input.options?.skipRedemptionRangeCheck ?? false;
    const request = { code, customerId, transactionNumber, billAmount, redemptionTime, storeId, seriesId: series.seriesId, skipRange };
    let incentiveId: number | undefined;
    const once = await runOnce(tx, { scope: 'couponRedeem', key: input.idempotencyKey, input: request }, async () => {
      const coupon = await couponByCode(tx, code, series.seriesId);
      const redeemedAt = redemptionTime ?? tx.clock.now();
      assertRedeemable(tx, coupon, customerId, redeemedAt, skipRange);
      await assertCustomerLimit(tx, coupon, customerId);
      const sequence = await takeRedemption(tx, coupon);
      // The conditional update of the coupon's count keeps its redemptions within its limit; should
      // two requests ever race past it, the unique (incentive, sequence) refuses the second.
      const [redemption] = await refusedOnConflict(
        'incentive_redemption_incentive_id_sequence_unique',
        () => new DomainError(IncentiveErrorCode.COUPON_ALREADY_REDEEMED, 'The coupon was redeemed at the same time by another request.', ['input', 'code']),
        () =>
          writeRows<{ id: string }>(
            tx.em,
            `insert into incentive_redemption (org_id, incentive_id, sequence, customer_id, transaction_number, bill_amount, store_id, redeemed_at, created_by, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
            [tx.org.id, coupon.id, sequence, customerId, transactionNumber, billAmount, storeId, redeemedAt, tx.actor, tx.clock.now()],
          ),
      );
      const redemptionId = toId(redemption.id);
      incentiveId = coupon.id;
      await addTimelineEvent(tx, {
        customerId,
        type: 'COUPON_REDEEMED',
        summary: `Redeemed coupon ${coupon.code}`,
        data: { code: coupon.code, transactionNumber, billAmount, redemptionId },
        occurredAt: redeemedAt,
      });
      await recordAudit(tx, { action: 'couponRedeem', subjectType: 'IncentiveRedemption', subjectId: redemptionId, details: { ...request, incentiveId: coupon.id } });
      return redemptionId;
    });
    if (incentiveId === undefined) {
      const [first] = await selectRows(tx.em, 'select incentive_id from incentive_redemption where id = ?', [once.resultId]);
      incentiveId = toId(first.incentiveId);
    }
    return { redemptionId: once.resultId, incentiveId, customerId, replayed: once.replayed, seriesReplaced: series.replaced };
  });
}
