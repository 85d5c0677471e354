import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
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
  loyalty(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<ProgramLoyaltyRow[]> {
    return loyaltyOf(ctx, 'customer').load(customer.id);
  }
}
