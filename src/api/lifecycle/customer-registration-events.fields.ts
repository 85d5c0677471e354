import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import { registrationEventSortValue, type RegistrationEventRow } from '../../domain/lifecycle/lifecycle.rows.js';
import { registrationEventsOfCustomer } from './lifecycle.loaders.js';
import { RegistrationEventConnection } from './lifecycle.types.js';

/** `Customer.registrationEvents` lives here, with the registrations, so the customer feature knows nothing of them. */
@Resolver(() => Customer)
export class CustomerRegistrationEventFields {
  @FieldResolver(() => RegistrationEventConnection, {
    description: "The customer's registrations through the org's sources (Entity Life Cycle imports), most recently updated first.",
  })
  async registrationEvents(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<RegistrationEventRow>> {
    return toConnection(await registrationEventsOfCustomer(ctx, pageRequest(args)).load(customer.id), registrationEventSortValue);
  }
}
