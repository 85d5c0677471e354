import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer } from '../customer/customer.types.js';
import { redemptionsOfIncentive } from './incentive.loaders.js';
import type { IncentiveRedemptionRow, IncentiveRow } from '../../domain/incentive/incentive.rows.js';
import { unusableReasons, type IncentiveUnusableReason } from '../../domain/incentive/incentive-usability.js';
import { Incentive, IncentiveRedemption, IncentiveUnusableReasonEnum } from './incentive.types.js';

@Resolver(() => Incentive)
export class IncentiveFields {
  @FieldResolver(() => Customer, { nullable: true, description: 'The customer holding the code; null for a code not issued to anyone.' })
  holder(@Root() row: IncentiveRow, @Ctx() ctx: RequestContext) {
    return row.holderId === null ? null : customerById(ctx).load(row.holderId);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the code could be redeemed now (by its holder, for a holder-only series).' })
  usableNow(@Root() row: IncentiveRow, @Ctx() ctx: RequestContext): boolean {
    return unusableReasons(row, ctx.clock.now()).length === 0;
  }

  @FieldResolver(() => [IncentiveUnusableReasonEnum], { description: 'Why the code cannot be redeemed now; empty when it can.' })
  unusableReasons(@Root() row: IncentiveRow, @Ctx() ctx: RequestContext): IncentiveUnusableReason[] {
    return unusableReasons(row, ctx.clock.now());
  }

  @FieldResolver(() => [IncentiveRedemption], { description: 'Redemptions of the code, newest first.' })
  redemptions(@Root() row: IncentiveRow, @Ctx() ctx: RequestContext) {
    return redemptionsOfIncentive(ctx).load(row.id);
  }
}

@Resolver(() => IncentiveRedemption)
export class IncentiveRedemptionFields {
  @FieldResolver(() => Customer, { description: 'The customer who redeemed the code.' })
  customer(@Root() row: IncentiveRedemptionRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.customerId);
  }
}
