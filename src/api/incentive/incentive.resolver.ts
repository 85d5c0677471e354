import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { CouponRedeemInput, CouponRedeemPayload } from './dto/coupon-redeem.js';
import type { IncentiveKind } from '../../domain/incentive/incentive.entity.js';
import { findIncentiveByCode, incentiveById, incentiveRedemptionById } from './incentive.loaders.js';
import type { IncentiveRedemptionRow, IncentiveRow } from '../../domain/incentive/incentive.rows.js';
import { searchIncentive, type InvalidIncentiveCodeRow } from './incentive-search.js';
import { Incentive, IncentiveKindEnum, IncentiveSearchResult } from './incentive.types.js';
import { redeemCoupon } from '../../domain/incentive/redemption.service.js';

@Resolver()
export class IncentiveResolver {
  @Query(() => Incentive, { nullable: true, description: 'A coupon, promo code or gift voucher by its code; null when the org has no such code.' })
  incentiveByCode(
    @Arg('kind', () => IncentiveKindEnum, { description: 'Kind of the code.' }) kind: IncentiveKind,
    @Arg('code', () => String, { description: 'The code, as issued.' }) code: string,
    @Ctx() ctx: RequestContext,
  ) {
    return findIncentiveByCode(ctx, kind, code);
  }

  @Query(() => IncentiveSearchResult, {
    description: 'Member care’s incentive search: the code’s details and why it cannot be used now, or an explicit invalid-code answer (never an error).',
  })
  incentiveSearch(
    @Arg('kind', () => IncentiveKindEnum, { description: 'Coupon, promo code or gift voucher.' }) kind: IncentiveKind,
    @Arg('code', () => String, { description: 'The code to look up.' }) code: string,
    @Ctx() ctx: RequestContext,
  ): Promise<IncentiveRow | InvalidIncentiveCodeRow> {
    return searchIncentive(ctx, kind, code);
  }

  @AllowWriters()
  @Mutation(() => CouponRedeemPayload, { description: 'Redeems a coupon for a customer in a bill, at most as often as its series allows, even under concurrent requests.' })
  couponRedeem(
    @Arg('input', () => CouponRedeemInput, { description: 'The code, the customer, the bill and an idempotency key.' }) input: CouponRedeemInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ redemption: IncentiveRedemptionRow | null; incentive: IncentiveRow | null; replayed: boolean }>> {
    return payload(async () => {
      const result = await redeemCoupon(ctx, { ...input, store: input.storeCode ? { code: input.storeCode } : null });
      const [redemption, incentive] = await Promise.all([incentiveRedemptionById(ctx).load(result.redemptionId), incentiveById(ctx).load(result.incentiveId)]);
      return { redemption, incentive, replayed: result.replayed };
    });
  }
}
