import type { RequestContext } from '../context.js';
import type { IncentiveKind } from '../../domain/incentive/incentive.entity.js';
import { findIncentiveByCode } from './incentive.loaders.js';
import type { IncentiveRow } from '../../domain/incentive/incentive.rows.js';

export const INVALID_INCENTIVE_CODE_REASONS = ['MALFORMED', 'NOT_FOUND'] as const;
export type InvalidIncentiveCodeReason = (typeof INVALID_INCENTIVE_CODE_REASONS)[number];

/** The explicit "invalid code" answer of the incentive search. */
export interface InvalidIncentiveCodeRow {
  readonly __typename: 'InvalidIncentiveCode';
  readonly kind: IncentiveKind;
  readonly code: string;
  readonly reason: InvalidIncentiveCodeReason;
  readonly message: string;
}

const KIND_NAMES: Record<IncentiveKind, string> = { COUPON: 'coupon', PROMO_CODE: 'promo code', GIFT_VOUCHER: 'gift voucher' };
const MAX_CODE_LENGTH = 64;

/** A code of a kind → the incentive, or why the code is invalid. Never an error: a bad code is an answer. */
export async function searchIncentive(ctx: RequestContext, kind: IncentiveKind, code: string): Promise<IncentiveRow | InvalidIncentiveCodeRow> {
  const trimmed = code.trim();
  const invalid = (reason: InvalidIncentiveCodeReason, message: string): InvalidIncentiveCodeRow => ({ __typename: 'InvalidIncentiveCode', kind, code, reason, message });
  if (!trimmed || trimmed.length > MAX_CODE_LENGTH) return invalid('MALFORMED', `Codes are 1 to ${MAX_CODE_LENGTH} characters long.`);
  return (await findIncentiveByCode(ctx, kind, trimmed)) ?? invalid('NOT_FOUND', `No ${KIND_NAMES[kind]} has the code "${trimmed}".`);
}
