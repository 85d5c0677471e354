import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { EarnedBadgeRow } from '../../domain/badge/badge.rows.js';
import { badgesOfCustomer } from './badge.loaders.js';
import { EarnedBadgeConnection } from './badge.types.js';

/** `Customer.badges` lives here, with the badge rows, so the customer feature knows nothing of badges. */
@Resolver(() => Customer)
export class CustomerBadgeFields {
  @FieldResolver(() => EarnedBadgeConnection, { description: 'Badges the customer has earned, newest first.' })
  async badges(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<EarnedBadgeRow>> {
    const page = await badgesOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (badge) => badge.earnedAt.toISOString());
  }
}
