import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { IncentiveRow } from '../../domain/incentive/incentive.rows.js';
import { incentivesOfCustomer } from './incentive.loaders.js';
import { IncentiveConnection } from './incentive.types.js';

/** `Customer.incentives` lives here, with the incentive rows, so the customer feature knows nothing of coupons. */
@Resolver(() => Customer)
export class CustomerIncentiveFields {
  @FieldResolver(() => IncentiveConnection, { description: 'Coupons, promo codes and gift vouchers the customer holds, newest first.' })
  async incentives(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<IncentiveRow>> {
    const page = await incentivesOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (incentive) => incentive.issuedAt.toISOString());
  }
}
