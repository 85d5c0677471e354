import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { childFieldArguments } from '../lookahead.js';
import { expiringPointsOf, EXPIRING_WINDOW_DEFAULT_DAYS, EXPIRING_WINDOW_MAX_DAYS } from '../points/points.loaders.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { ProgramLoyaltyRow } from '../../domain/program/program.rows.js';
import { loyaltyOf } from './program.loaders.js';
import { ProgramLoyalty } from './program.types.js';

/** `Customer.loyalty` lives here, with the enrolment rows, so the customer feature knows nothing of programs. */
@Resolver(() => Customer)
export class CustomerLoyaltyFields {
  @FieldResolver(() => [ProgramLoyalty], { description: 'Standing in each loyalty program: tier, points balance, lifetime points and purchases.' })
  loyalty(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProgramLoyaltyRow[]> {
    // Points expiring soon, asked for below, go to the database with the standings (one statement).
    for (const args of childFieldArguments(info, 'pointsExpiringSoon')) {
      const withinDays = args.withinDays ?? EXPIRING_WINDOW_DEFAULT_DAYS;
      // Only a window the field will accept: it reports a bad one itself.
      if (Number.isInteger(withinDays) && (withinDays as number) >= 1 && (withinDays as number) <= EXPIRING_WINDOW_MAX_DAYS) {
        expiringPointsOf(ctx, 'customer', withinDays as number).load(customer.id).catch(() => undefined);
      }
    }
    return loyaltyOf(ctx, 'customer').load(customer.id);
  }
}
