import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { ProgramMembershipRow } from '../../domain/partner-program/partner-program.rows.js';
import { membershipsOfCustomer } from './partner-program.loaders.js';
import { ProgramMembership } from './partner-program.types.js';

@ArgsType()
export class MembershipsArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Also list memberships that have ended.' })
  includeEnded!: boolean;
}

/** `Customer.supplementaryMemberships` lives here, with the memberships, so the customer feature knows no partner program. */
@Resolver(() => Customer)
export class CustomerMembershipFields {
  @FieldResolver(() => [ProgramMembership], {
    description: 'Memberships of supplementary or external partner programs: current ones, or all with `includeEnded`.',
  })
  supplementaryMemberships(
    @Root() customer: CustomerRow,
    @Args(() => MembershipsArgs) args: MembershipsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ProgramMembershipRow[]> {
    return membershipsOfCustomer(ctx, args.includeEnded).load(customer.id);
  }
}
