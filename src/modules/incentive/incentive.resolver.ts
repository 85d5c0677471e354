import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context.js';
import type { IncentiveKind } from './incentive.entity.js';
import { findIncentiveByCode } from './incentive.loaders.js';
import { Incentive, IncentiveKindEnum } from './incentive.types.js';

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
}
