import type { IncentiveRow } from './incentive.rows.js';

/** Why a code cannot be used at a given time; none means it can. */
export const INCENTIVE_UNUSABLE_REASONS = [
  'REVOKED',
  'EXPIRED',
  'FULLY_REDEEMED',
  'NOT_YET_VALID',
  'VALIDITY_ENDED',
  'BEFORE_REDEMPTION_WINDOW',
  'AFTER_REDEMPTION_WINDOW',
] as const;
export type IncentiveUnusableReason = (typeof INCENTIVE_UNUSABLE_REASONS)[number];

/** The code's validity: its own dates, or its series' where it has none. */
export function validityOf(incentive: IncentiveRow): { from: Date | null; until: Date | null } {
  return { from: incentive.validFrom ?? incentive.series.validFrom, until: incentive.validUntil ?? incentive.series.validUntil };
}

/**
 * Every reason the code cannot be redeemed at `at`, in the order a redemption checks them. The
 * same rules serve the incentive search ("why not now") and `couponRedeem`, which also checks the
 * customer (holder, per-customer limit).
 */
export function unusableReasons(incentive: IncentiveRow, at: Date): IncentiveUnusableReason[] {
  const reasons: IncentiveUnusableReason[] = [];
  const time = at.getTime();
  if (incentive.status === 'REVOKED') reasons.push('REVOKED');
  if (incentive.status === 'EXPIRED') reasons.push('EXPIRED');
  if (incentive.status === 'REDEEMED' || incentive.redemptionCount >= incentive.series.maxRedemptionsPerCode) reasons.push('FULLY_REDEEMED');
  const validity = validityOf(incentive);
  if (validity.from && time < validity.from.getTime()) reasons.push('NOT_YET_VALID');
  if (validity.until && time > validity.until.getTime()) reasons.push('VALIDITY_ENDED');
  if (incentive.series.redemptionFrom && time < incentive.series.redemptionFrom.getTime()) reasons.push('BEFORE_REDEMPTION_WINDOW');
  if (incentive.series.redemptionUntil && time > incentive.series.redemptionUntil.getTime()) reasons.push('AFTER_REDEMPTION_WINDOW');
  return reasons;
}
